"""Nomination pages: a nodal officer nominates, an employee asks, approvers and the
institute decide, everyone concerned follows the history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govtrain.accounts.access import Perm, access_for
from govtrain.classroom import selectors
from govtrain.classroom.forms import DecisionForm, NominateForm, StaffSearchForm
from govtrain.classroom.models import Batch, Nomination, Step
from govtrain.classroom.services import nominations as services
from govtrain.classroom.services.eligibility import nomination_window_reason, quota_used
from govtrain.core.http import AuthedRequest
from govtrain.people.models import Employee
from govtrain.people.selectors import DirectoryFilters, employees_search

PICK_LIMIT = 50
STAFF_PAGE = 30


def _open_batch(pk: int) -> Batch:
    return get_object_or_404(
        Batch.objects.select_related("course__provider", "centre", "venue").filter(
            course__is_published=True
        ),
        pk=pk,
    )


# --- The employee asks ---------------------------------------------------------------


@require_POST
@login_required
def nomination_request(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = _open_batch(pk)
    access = access_for(request.user)
    if access.employee_id is None:
        raise PermissionDenied
    employee = get_object_or_404(Employee, pk=access.employee_id)
    try:
        nomination = services.nomination_request(batch=batch, employee=employee, by=request.user)
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
        return redirect("catalog:course-detail", batch.course.code)
    messages.success(request, _("Your request was sent for approval."))
    return redirect("classroom:nomination-detail", nomination.pk)


# --- The nodal officer nominates -----------------------------------------------------


def _in_charge(request: AuthedRequest) -> Q | None:
    return access_for(request.user).office_q(Perm.NOMINATE, prefix="office__")


def _staff_choices(request: AuthedRequest, q: str) -> list[Employee]:
    if not q:
        return []
    staff = employees_search(user=request.user, filters=DirectoryFilters(q=q)).filter(
        status__in=Employee.SERVING
    )
    scope = _in_charge(request)
    if scope is not None:
        staff = staff.filter(scope)
    return list(staff[:PICK_LIMIT])


def _resolve(
    request: AuthedRequest, ids: list[int], pens: list[str]
) -> tuple[list[Employee], list[str]]:
    """The chosen employees within the officer's charge, and the PENs not found there."""
    staff = Employee.objects.select_related("office").filter(Q(pk__in=ids) | Q(pen__in=pens))
    scope = _in_charge(request)
    if scope is not None:
        staff = staff.filter(scope)
    found = list(staff)
    known = {e.pen for e in found}
    return found, [pen for pen in pens if pen not in known]


@login_required
def batch_nominate(request: AuthedRequest, pk: int) -> HttpResponse:
    """Nominate staff in the officer's charge to a batch, one or hundreds at once."""
    if not access_for(request.user).can(Perm.NOMINATE):
        raise PermissionDenied
    batch = _open_batch(pk)
    search = StaffSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    picked = _staff_choices(request, q)
    posted_ids = request.POST.getlist("employees") if request.method == "POST" else []
    chosen = list(Employee.objects.filter(pk__in=[int(i) for i in posted_ids if i.isdigit()]))
    choices = [(e.pk, f"{e.name_en} ({e.pen}), {e.designation}") for e in picked] + [
        (e.pk, f"{e.name_en} ({e.pen})") for e in chosen
    ]
    form = NominateForm(request.POST or None, choices=choices)
    refusals: dict[Employee, list[str]] = {}
    employees: list[Employee] = []
    if request.method == "POST" and form.is_valid():
        employees, unknown = _resolve(
            request, form.cleaned_data["employees"], form.cleaned_data["pens"]
        )
        if unknown:
            form.add_error(
                "pens",
                _("Not found among your staff: %(pens)s") % {"pens": ", ".join(unknown)},
            )
        else:
            try:
                result = services.nominations_create(
                    batch=batch,
                    employees=employees,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    skip_ineligible=form.cleaned_data["skip_ineligible"],
                )
            except services.NominationRefused as e:
                refusals = e.refusals
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(
                    request,
                    _("%(n)s nominated to %(batch)s; %(skipped)s skipped.")
                    % {
                        "n": len(result.created),
                        "batch": batch.code,
                        "skipped": len(result.refused),
                    },
                )
                return redirect("classroom:nomination-list")
    context = {
        "batch": batch,
        "form": form,
        "search": search,
        "picked": picked,
        "refusals": refusals,
        "chosen": employees,
        "eligible_count": len(employees) - len(refusals),
        "window": nomination_window_reason(batch, timezone.localdate()),
        "quotas": _quota_rows(batch),
    }
    return render(request, "classroom/batch_nominate.html", context)


def _quota_rows(batch: Batch) -> list[dict[str, object]]:
    used = quota_used(batch)
    return [
        {"quota": quota, "used": used.get(quota.pk, 0), "left": quota.seats - used.get(quota.pk, 0)}
        for quota in batch.quotas.select_related("department", "service_class")
    ]


# --- Lists and decisions -------------------------------------------------------------


@login_required
def nomination_list(request: AuthedRequest) -> HttpResponse:
    """What waits for the user's decision, their own nominations, and their staff's."""
    access = access_for(request.user)
    awaiting = [_row(request, n) for n in selectors.nominations_awaiting(user=request.user)[:200]]
    mine = []
    if access.employee_id:
        mine = [{"n": n} for n in selectors.nominations_of(employee_id=access.employee_id)]
    staff: list[dict[str, object]] = []
    fill = []
    page = None
    if access.can(Perm.NOMINATE):
        status = request.GET.get("status", "")
        staff_qs = selectors.nominations_visible_to(user=request.user)
        scope = access.office_q(Perm.NOMINATE, prefix="employee__office__")
        if scope is not None:
            staff_qs = staff_qs.filter(scope)
        if status in Nomination.Status.values:
            staff_qs = staff_qs.filter(status=status)
        if access.employee_id:
            staff_qs = staff_qs.exclude(employee_id=access.employee_id)
        page = Paginator(
            staff_qs.filter(batch__ends_on__gte=timezone.localdate()), STAFF_PAGE
        ).get_page(request.GET.get("page"))
        staff = [{"n": n} for n in page]
        fill = selectors.department_fill(user=request.user)
    return render(
        request,
        "classroom/nomination_list.html",
        {
            "awaiting": awaiting,
            "mine": mine,
            "staff": staff,
            "fill": fill,
            "statuses": Nomination.Status.choices,
            "status": request.GET.get("status", ""),
            "can_nominate": access.can(Perm.NOMINATE),
            "page": page,
        },
    )


def _row(request: AuthedRequest, nomination: Nomination) -> dict[str, object]:
    context = _decision_context(request, nomination, events=False)
    return {"n": nomination} | context


def _decision_context(
    request: AuthedRequest, nomination: Nomination, *, events: bool = True
) -> dict[str, object]:
    decide = services.may_decide_step(user=request.user, nomination=nomination)
    status = nomination.status
    S = Nomination.Status
    return {
        "nomination": nomination,
        "events": nomination.events.select_related("actor__employee") if events else (),
        "chain": [(step, Step(step).label) for step in (nomination.steps or [])],
        "can_approve": decide and status == S.REQUESTED,
        "can_reject": decide and status in (S.REQUESTED, S.APPROVED, S.WAITLISTED),
        "can_confirm": decide and status in (S.APPROVED, S.WAITLISTED),
        "can_waitlist": decide and status == S.APPROVED,
        "can_withdraw": nomination.is_active
        and services.may_withdraw(user=request.user, nomination=nomination),
        "form": DecisionForm(),
    }


@login_required
def nomination_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    nomination = selectors.nomination_get_for(user=request.user, pk=pk)
    return render(
        request, "classroom/nomination_detail.html", _decision_context(request, nomination)
    )


@require_POST
@login_required
def nomination_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    """Approve, reject, confirm, waitlist or withdraw; the row or page is shown again."""
    nomination = selectors.nomination_get_for(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        reason = form.cleaned_data["reason"]
        try:
            services.nomination_decide(
                nomination=nomination, by=request.user, action=action, reason=reason
            )
        except ValidationError as e:
            for message in e.messages:
                messages.error(request, message)
    nomination = selectors.nomination_get_for(user=request.user, pk=pk)
    context = _decision_context(request, nomination)
    if request.htmx:
        return render(request, "classroom/_nomination_row.html", context | {"n": nomination})
    return redirect("classroom:nomination-detail", nomination.pk)


@require_POST
@login_required
def batch_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    """The institute confirms the chosen nominations; beyond capacity they are waitlisted."""
    batch = get_object_or_404(Batch.objects.select_related("course"), pk=pk)
    if not access_for(request.user).covers_provider(Perm.CATALOG_MANAGE, batch.course.provider_id):
        raise Http404
    ids = [int(i) for i in request.POST.getlist("nominations") if i.isdigit()]
    chosen = Nomination.objects.filter(batch=batch, pk__in=ids)
    result = services.nominations_confirm(batch=batch, nominations=chosen, by=request.user)
    messages.success(
        request,
        _("%(c)s confirmed, %(w)s waitlisted.")
        % {"c": len(result.confirmed), "w": len(result.waitlisted)},
    )
    return redirect("classroom:batch-detail", batch.pk)
