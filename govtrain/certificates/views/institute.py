"""The institute's side: its certificates (find, revoke), issuing a batch's or a course's
at once with progress, its signing keys (rotate, revoke) and its certificate template.
Coordinators of the institute and state administrators; to anyone else these are 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govtrain.catalog.models import Provider
from govtrain.certificates import selectors
from govtrain.certificates.forms import IssueForm, ProviderChoiceForm, ReasonForm, TemplateForm
from govtrain.certificates.services import issuing, keys, revoking, templates
from govtrain.core.http import AuthedRequest


def _managed(request: AuthedRequest) -> QuerySet[Provider]:
    providers = selectors.providers_managed_by(user=request.user)
    if not providers.exists():
        raise Http404
    return providers


@login_required
def certificate_list(request: AuthedRequest) -> HttpResponse:
    providers = _managed(request)
    rows = selectors.certificates_managed_by(user=request.user).order_by("-issued_at")
    query = request.GET.get("q", "").strip()
    if query:
        rows = rows.filter(
            Q(number__iexact=query) | Q(employee__pen=query) | Q(course__code__iexact=query)
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/institute_list.html",
        {
            "page": page,
            "query": query,
            "issue_form": IssueForm(providers=providers),
            "jobs": selectors.jobs_of(providers=providers)[:5],
        },
    )


@require_POST
@login_required
def certificate_revoke(request: AuthedRequest, number: str) -> HttpResponse:
    certificate = selectors.certificate_managed_get(user=request.user, number=number)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the certificate is revoked."))
        return redirect("certificates:detail", certificate.number)
    try:
        revoking.certificate_revoke(
            certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The certificate is revoked."))
    return redirect("certificates:detail", certificate.number)


@require_POST
@login_required
def issue(request: AuthedRequest) -> HttpResponse:
    providers = _managed(request)
    form = IssueForm(request.POST, providers=providers)
    if not form.is_valid():
        for error in form.non_field_errors():
            messages.error(request, str(error))
        return redirect("certificates:institute-list")
    data = form.cleaned_data
    job = issuing.job_create(
        provider=data["provider_obj"],
        by=request.user,
        batch_id=data["batch_obj"].pk if data.get("batch_obj") else None,
        course_id=data["course_obj"].pk if data.get("course_obj") else None,
    )
    return redirect("certificates:job", job.pk)


@login_required
def job_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = selectors.job_get_for(user=request.user, pk=pk)
    template = "certificates/_job_progress.html" if request.htmx else "certificates/job_detail.html"
    return render(request, template, {"job": job})


@login_required
def key_list(request: AuthedRequest) -> HttpResponse:
    providers = _managed(request)
    if request.method == "POST":
        form = ProviderChoiceForm(request.POST, providers=providers)
        if form.is_valid():
            key = keys.key_rotate(provider=form.cleaned_data["provider"], by=request.user)
            messages.success(
                request,
                _("A new key (%(key)s) signs from now on; the previous one stays published.")
                % {"key": key.fragment},
            )
            return redirect("certificates:keys")
    keys_of = selectors.keys_by_provider(providers=providers)
    rows = [(provider, keys_of.get(provider.pk, [])) for provider in providers]
    return render(
        request,
        "certificates/keys.html",
        {"rows": rows, "rotate_form": ProviderChoiceForm(providers=providers)},
    )


@require_POST
@login_required
def key_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    key = selectors.key_managed_get(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the key is revoked."))
        keys.key_revoke(key=key, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The key is revoked: what it signed no longer verifies."))
    return redirect("certificates:keys")


@login_required
def template_edit(request: AuthedRequest) -> HttpResponse:
    providers = _managed(request)
    provider = providers.filter(code=request.GET.get("provider", "")).first() or providers.first()
    if provider is None:  # gone since _managed looked
        raise Http404
    current = selectors.template_of(provider=provider)
    form = TemplateForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        templates.template_save(provider=provider, data=form.cleaned_data, by=request.user)
        messages.success(request, _("The template is saved; new downloads use it."))
        return redirect(f"{request.path}?provider={provider.code}")
    return render(
        request,
        "certificates/template_form.html",
        {"form": form, "provider": provider, "providers": providers},
    )
