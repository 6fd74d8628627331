from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govtrain.accounts import selectors, services
from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.forms import (
    AccountPasswordResetForm,
    LanguageForm,
    LoginForm,
    ReasonForm,
    RoleAssignForm,
)
from govtrain.core.http import AuthedRequest


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = AccountPasswordResetForm
    success_url = reverse_lazy("accounts:password-reset-done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Switch language: remembered on the account, and in a cookie before login."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return redirect("core:home")
    code = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=code)
    translation.activate(code)
    target = form.cleaned_data.get("next") or reverse("core:home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("core:home")
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        max_age=365 * 24 * 3600,
    )
    return response


@login_required
def role_list(request: AuthedRequest) -> HttpResponse:
    access = access_for(request.user)
    if not (access.can(Perm.ROLES_MANAGE) or access.can(Perm.AUDIT_VIEW)):
        raise PermissionDenied
    form = RoleAssignForm()
    return render(
        request,
        "accounts/role_list.html",
        {
            "assignments": selectors.role_assignments_visible_to(user=request.user),
            "form": form,
            "can_manage": access.can(Perm.ROLES_MANAGE),
        },
    )


@require_POST
@login_required
def role_assign(request: AuthedRequest) -> HttpResponse:
    access = access_for(request.user)
    if not access.can(Perm.ROLES_MANAGE):
        raise PermissionDenied
    form = RoleAssignForm(request.POST)
    if form.is_valid():
        try:
            services.role_assign(
                by=request.user,
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                reason=form.cleaned_data["reason"],
                **form.scope(),
            )
        except ValidationError as e:
            form.add_error(
                None,
                e
                if not hasattr(e, "error_dict")
                else _(
                    "This role needs a different scope: an organisation unit for "
                    "nodal officers, a provider for institute roles, none for "
                    "state-wide roles."
                ),
            )
        else:
            messages.success(request, _("The role was assigned."))
            return redirect("accounts:role-list")
    return render(
        request,
        "accounts/role_list.html",
        {
            "assignments": selectors.role_assignments_visible_to(user=request.user),
            "form": form,
            "can_manage": True,
        },
        status=400,
    )


@require_POST
@login_required
def role_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = selectors.role_assignment_get_for_manager(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.role_revoke(by=request.user, assignment=assignment, reason=reason)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("The role was revoked."))
    return redirect("accounts:role-list")
