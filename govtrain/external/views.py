"""External-course pages: the employee records an enrolment and submits evidence; the
provider's coordinators verify or reject it from their queue; the certificate itself is
downloaded only by those two, through a view that checks who asks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from govtrain.accounts.access import Perm, access_for
from govtrain.catalog.models import Course
from govtrain.catalog.selectors import course_get_for
from govtrain.core.http import AuthedRequest
from govtrain.external import selectors, services
from govtrain.external.downloads import evidence_file_response
from govtrain.external.forms import DecisionForm, EvidenceForm, OfferForm
from govtrain.external.models import Evidence

QUEUE_PAGE = 30


def _external_course(request: AuthedRequest, code: str) -> Course:
    course = course_get_for(user=request.user, code=code)
    if course.modality != Course.Modality.EXTERNAL:
        raise Http404
    return course


# --- The employee ---------------------------------------------------------------------


@require_POST
@login_required
def enrolment_record(request: AuthedRequest, code: str) -> HttpResponse:
    """ "I have enrolled": the employee records their enrolment at the other institute."""
    course = _external_course(request, code)
    try:
        services.enrolment_record(course=course, by=request.user)
    except (ValidationError, PermissionDenied) as e:
        for message in getattr(e, "messages", [str(e)]):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Your enrolment is recorded. Submit the certificate when you complete the course."),
        )
    return redirect("catalog:course-detail", course.code)


@login_required
def evidence_submit(request: AuthedRequest, code: str) -> HttpResponse:
    """Upload the certificate of an external course with its date."""
    course = _external_course(request, code)
    if access_for(request.user).employee_id is None:
        raise PermissionDenied
    actions = selectors.course_actions_for(user=request.user, course=course)
    form = EvidenceForm(request.POST, request.FILES) if request.method == "POST" else EvidenceForm()
    if request.method == "POST" and form.is_valid():
        try:
            evidence = services.evidence_submit(
                course=course,
                by=request.user,
                upload=form.cleaned_data["file"],
                completed_on=form.cleaned_data["completed_on"],
                certificate_id=form.cleaned_data["certificate_id"],
                certificate_url=form.cleaned_data["certificate_url"],
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(
                request, _("Your evidence was sent to the institute for verification.")
            )
            return redirect("external:evidence-detail", evidence.pk)
    return render(
        request,
        "external/evidence_form.html",
        {"course": course, "form": form, "actions": actions},
    )


@require_GET
@login_required
def evidence_list(request: AuthedRequest) -> HttpResponse:
    """The employee's own submissions, newest first."""
    employee_id = access_for(request.user).employee_id
    mine = list(selectors.evidence_of(employee_id=employee_id)[:200]) if employee_id else []
    return render(
        request,
        "external/evidence_list.html",
        {"mine": mine, "can_verify": access_for(request.user).can(Perm.CATALOG_MANAGE)},
    )


# --- The coordinator ------------------------------------------------------------------


def _row_context(request: AuthedRequest, evidence: Evidence) -> dict[str, object]:
    return {
        "e": evidence,
        "can_decide": evidence.status == Evidence.Status.SUBMITTED
        and services.may_decide(user=request.user, evidence=evidence),
    }


@require_GET
@login_required
def evidence_queue(request: AuthedRequest) -> HttpResponse:
    """Submissions waiting for the coordinator's decision, oldest first."""
    if not access_for(request.user).can(Perm.CATALOG_MANAGE):
        raise PermissionDenied
    page = Paginator(selectors.evidence_awaiting(user=request.user), QUEUE_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [_row_context(request, e) for e in page]
    return render(request, "external/evidence_queue.html", {"page": page, "rows": rows})


@require_GET
@login_required
def evidence_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One submission with its history and, for the coordinator, the decision."""
    evidence = selectors.evidence_get_for(user=request.user, pk=pk)
    context = _row_context(request, evidence)
    context["history"] = selectors.evidence_history(evidence=evidence)
    context["is_own"] = access_for(request.user).employee_id == evidence.enrolment.employee_id
    if context["can_decide"]:
        context["same_certificate"] = selectors.evidence_same_certificate(evidence=evidence)
    return render(request, "external/evidence_detail.html", context)


@require_POST
@login_required
def evidence_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """Verify or reject; the queue's row (htmx) or the submission's page is shown again."""
    evidence = selectors.evidence_get_for(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.evidence_decide(
                evidence=evidence,
                by=request.user,
                action=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied as e:
            raise Http404 from e  # not theirs to decide: as if it did not exist
        except ValidationError as e:
            error = " ".join(e.messages)
    else:
        error = _("Choose to verify or to reject.")
    evidence = selectors.evidence_get_for(user=request.user, pk=pk)
    if request.htmx:
        context = _row_context(request, evidence) | {"error": error}
        return render(request, "external/_evidence_row.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("Verified: the hours are on the employee's training record.")
            if evidence.status == Evidence.Status.VERIFIED
            else _("Rejected; the employee was told why."),
        )
    return redirect("external:evidence-detail", evidence.pk)


@require_GET
@login_required
def evidence_file(request: AuthedRequest, pk: int) -> FileResponse:
    """The certificate, as a download, to the employee and those who may verify it."""
    evidence = selectors.evidence_get_for(user=request.user, pk=pk)
    return evidence_file_response(evidence)


@login_required
def offer_edit(request: AuthedRequest, code: str) -> HttpResponse:
    """A coordinator of the provider sets where an external course is taken."""
    course = _external_course(request, code)
    if not access_for(request.user).covers_provider(Perm.CATALOG_MANAGE, course.provider_id):
        raise Http404
    offer = selectors.offer_for(course=course)
    initial = {"url": offer.url if offer else ""}
    form = OfferForm(request.POST) if request.method == "POST" else OfferForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_set(course=course, url=form.cleaned_data["url"], by=request.user)
        except ValidationError as e:
            form.add_error("url", e)
        else:
            messages.success(request, _("The link is saved."))
            return redirect("catalog:course-detail", course.code)
    return render(request, "external/offer_form.html", {"course": course, "form": form})
