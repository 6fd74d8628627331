"""The approval chain of an institute's nominations, and of single courses."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from govtrain.accounts.access import Perm, access_for
from govtrain.catalog.models import Course, Provider
from govtrain.classroom.forms import ApprovalPolicyForm
from govtrain.classroom.models import ApprovalPolicy, Step
from govtrain.classroom.selectors import DEFAULT_LEAD_DAYS, policy_for_provider
from govtrain.classroom.services import policies as services
from govtrain.core.http import AuthedRequest


@login_required
def approval_policy(request: AuthedRequest, code: str) -> HttpResponse:
    """Coordinators set the chain for their institute, and exceptions per course."""
    provider = get_object_or_404(Provider, code=code)
    if not access_for(request.user).covers_provider(Perm.CATALOG_MANAGE, provider.pk):
        raise Http404
    own = ApprovalPolicy.objects.filter(provider=provider).first()
    steps = own.steps if own else [Step.CONTROLLING_OFFICER, Step.INSTITUTE]
    initial = {
        "controlling_officer": Step.CONTROLLING_OFFICER in steps,
        "department": Step.DEPARTMENT in steps,
        "lead_days": own.lead_days if own else DEFAULT_LEAD_DAYS,
    }
    form = ApprovalPolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["course"].strip()
        course = None
        if code:
            course = Course.objects.filter(provider=provider, code=code).first()
            if course is None:
                form.add_error(
                    "course", _("No course %(code)s at this institute.") % {"code": code}
                )
        if not form.errors:
            try:
                if course is not None and request.POST.get("remove"):
                    services.approval_policy_remove(by=request.user, course=course)
                else:
                    services.approval_policy_set(
                        by=request.user,
                        steps=form.steps(),
                        lead_days=form.cleaned_data["lead_days"],
                        provider=None if course else provider,
                        course=course,
                    )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("The approval chain was saved."))
                return redirect("classroom:approval-policy", provider.code)
    overrides = [
        (p.course, [Step(s).label for s in p.steps], p.lead_days)
        for p in ApprovalPolicy.objects.filter(course__provider=provider).select_related("course")
    ]
    current = policy_for_provider(provider_id=provider.pk)
    return render(
        request,
        "classroom/approval_policy.html",
        {
            "provider": provider,
            "form": form,
            "current": [Step(s).label for s in current.steps],
            "lead_days": current.lead_days,
            "overrides": overrides,
        },
    )
