"""Nominations along the approval chain: a department nominates or an employee asks,
approvers decide step by step, the institute confirms, waitlists or rejects.

Every step is recorded twice: as a `NominationEvent` the people concerned see on the
nomination, and in the audit trail. Notifications go out after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import Role, User
from govtrain.audit.services import audit_record, audit_record_many
from govtrain.catalog.services import catalog_changed
from govtrain.classroom.models import Batch, Nomination, NominationEvent, Step
from govtrain.classroom.selectors import policy_for
from govtrain.classroom.services.eligibility import eligibility_check
from govtrain.notifications.services import notify, notify_each
from govtrain.people.models import Employee
from govtrain.records.services import enrolment_open, enrolment_withdraw

S = Nomination.Status


class NominationRefused(ValidationError):
    """Some of the people could not be nominated; `refusals` says who and why."""

    def __init__(self, refusals: dict[Employee, list[str]]) -> None:
        self.refusals = refusals
        super().__init__(
            _("%(n)s of the people cannot be nominated.") % {"n": len(refusals)},
            code="refused",
        )


@dataclass
class BulkResult:
    created: list[Nomination] = field(default_factory=list)
    refused: dict[Employee, list[str]] = field(default_factory=dict)


# --- Who may act ---------------------------------------------------------------------


def may_decide_step(*, user: User, nomination: Nomination) -> bool:
    """May the user take the decision the nomination is waiting for?"""
    access = access_for(user)
    employee = nomination.employee
    if access.employee_id == employee.pk and not access.has_role(Role.STATE_ADMIN):
        return False  # nobody approves their own request
    if nomination.status == S.REQUESTED:
        if nomination.step == Step.CONTROLLING_OFFICER:
            is_controlling = (
                access.employee_id is not None
                and employee.controlling_officer_id == access.employee_id
            )
            # A nodal officer over the employee stands in for the controlling officer.
            return is_controlling or access.can_on_employee(Perm.NOMINATE, employee)
        if nomination.step == Step.DEPARTMENT:
            return access.can_on_employee(Perm.NOMINATE, employee)
        return False
    if nomination.status in (S.APPROVED, S.WAITLISTED):
        return access.covers_provider(Perm.CATALOG_MANAGE, nomination.batch.course.provider_id)
    return False


def may_withdraw(*, user: User, nomination: Nomination) -> bool:
    access = access_for(user)
    return (
        access.employee_id == nomination.employee_id
        or access.can_on_employee(Perm.NOMINATE, nomination.employee)
        or access.covers_provider(Perm.CATALOG_MANAGE, nomination.batch.course.provider_id)
    )


def _coordinators_of(batch: Batch) -> list[User]:
    return list(
        User.objects.filter(
            role_assignments__role=Role.COORDINATOR,
            role_assignments__provider_id=batch.course.provider_id,
            is_active=True,
        ).distinct()
    )


def _approvers_of(nomination: Nomination) -> list[User | None]:
    """Who should hear that a request waits for them."""
    employee = nomination.employee
    users: list[User | None] = []
    if nomination.step == Step.CONTROLLING_OFFICER and employee.controlling_officer_id:
        controlling = Employee.objects.select_related("user").get(
            pk=employee.controlling_officer_id
        )
        users.append(controlling.user)
    if nomination.step == Step.DEPARTMENT or not users:
        office = employee.office
        codes = office.path.strip("/").split("/")
        ancestors = ["/" + "/".join(codes[:i]) + "/" for i in range(1, len(codes) + 1)]
        scope = (
            Q(role_assignments__department_id=office.department_id)
            | Q(role_assignments__district_id=office.district_id)
            | Q(role_assignments__office__path__in=ancestors)
        )
        if office.local_body_id:
            scope |= Q(role_assignments__local_body_id=office.local_body_id)
        users += list(
            User.objects.filter(
                scope, role_assignments__role=Role.NODAL_OFFICER, is_active=True
            ).distinct()
        )
    return users


# --- Recording -----------------------------------------------------------------------


def _record(
    nomination: Nomination, *, action: str, by: User | None, before: str, reason: str = ""
) -> None:
    NominationEvent.objects.create(
        nomination=nomination,
        action=action,
        actor=by,
        from_status=before,
        to_status=nomination.status,
        reason=reason,
    )
    audit_record(
        actor=by,
        action=f"nomination.{action}",
        target=nomination,
        before={"status": before} if before else None,
        after={"status": nomination.status, "step": nomination.step},
        reason=reason,
    )
    catalog_changed()  # seats left on the course page


def _url(nomination: Nomination) -> str:
    return reverse("classroom:nomination-detail", args=[nomination.pk])


def _lock(nomination: Nomination) -> Nomination:
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("batch__course", "employee__office", "employee__user")
        .get(pk=nomination.pk)
    )


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise ValidationError(_("Give a reason; the employee will see it."))


# --- Creating ------------------------------------------------------------------------


@transaction.atomic
def nominations_create(
    *,
    batch: Batch,
    employees: Sequence[Employee],
    by: User,
    reason: str = "",
    skip_ineligible: bool = False,
) -> BulkResult:
    """A nodal officer nominates staff in their scope, one or many at once.

    The department's own approval is the nomination itself, so the nominations wait for
    the institute. Unless `skip_ineligible`, one refusal refuses them all and nothing is
    written (raises `NominationRefused` with every reason).
    """
    access = access_for(by)
    if not access.can(Perm.NOMINATE):
        raise PermissionDenied(_("You cannot nominate staff."))
    batch = Batch.objects.select_for_update().select_related("course").get(pk=batch.pk)
    employees = list({e.pk: e for e in employees}.values())
    outside = [e for e in employees if not access.can_on_employee(Perm.NOMINATE, e)]
    if outside:
        raise PermissionDenied(_("Some of these people are not in your charge."))
    check = eligibility_check(batch=batch, employees=employees, today=timezone.localdate())
    refused = {e: check.for_employee(e.pk) for e in employees if not check.ok(e.pk)}
    if refused and not skip_ineligible:
        raise NominationRefused(refused)
    steps = list(policy_for(batch.course).steps)
    now = timezone.now()
    nominations = Nomination.objects.bulk_create(
        Nomination(
            batch=batch,
            employee=employee,
            status=S.APPROVED,
            source=Nomination.Source.NOMINATION,
            steps=steps,
            step=Step.INSTITUTE,
            nominated_by=by,
            created_at=now,
            updated_at=now,
        )
        for employee in employees
        if employee not in refused
    )
    NominationEvent.objects.bulk_create(
        NominationEvent(
            nomination=n, action="created", actor=by, to_status=S.APPROVED, reason=reason
        )
        for n in nominations
    )
    audit_record_many(
        actor=by,
        action="nomination.created",
        targets=list(nominations),
        after={"status": S.APPROVED, "step": Step.INSTITUTE},
        reason=reason,
    )
    if nominations:
        catalog_changed()  # seats left on the course page
        _notify_created(batch, nominations)
    return BulkResult(created=nominations, refused=refused)


def _notify_created(batch: Batch, nominations: list[Nomination]) -> None:
    course = batch.course
    users = User.objects.in_bulk([n.employee.user_id for n in nominations if n.employee.user_id])
    params = {"course": course.title_en, "batch": batch.code, "start": batch.starts_on}
    notify_each(
        message=gettext_lazy(
            "You have been nominated to %(course)s (batch %(batch)s, from %(start)s). "
            "The institute will confirm your seat."
        ),
        items=[(users.get(n.employee.user_id or 0), params, _url(n)) for n in nominations],
    )
    notify(
        users=_coordinators_of(batch),
        message=gettext_lazy("%(n)s new nominations to batch %(batch)s await confirmation."),
        params={"n": len(nominations), "batch": batch.code},
        url=reverse("classroom:batch-detail", args=[batch.pk]),
        email=False,
    )


@transaction.atomic
def nomination_request(*, batch: Batch, employee: Employee, by: User) -> Nomination:
    """An employee asks for a seat; the request starts at the first step of the chain."""
    if access_for(by).employee_id != employee.pk:
        raise PermissionDenied(_("Only the employee can ask for a seat for themselves."))
    batch = Batch.objects.select_for_update().select_related("course").get(pk=batch.pk)
    employee = Employee.objects.select_related("office").get(pk=employee.pk)
    check = eligibility_check(batch=batch, employees=[employee], today=timezone.localdate())
    if not check.ok(employee.pk):
        raise ValidationError(check.for_employee(employee.pk))
    steps = list(policy_for(batch.course).steps)
    first = steps[0]
    nomination = Nomination.objects.create(
        batch=batch,
        employee=employee,
        status=S.APPROVED if first == Step.INSTITUTE else S.REQUESTED,
        source=Nomination.Source.REQUEST,
        steps=steps,
        step=first,
        nominated_by=by,
    )
    _record(nomination, action="requested", by=by, before="")
    if nomination.status == S.REQUESTED:
        notify(
            users=_approvers_of(nomination),
            message=gettext_lazy("%(name)s asks for a seat in %(course)s (batch %(batch)s)."),
            params={"name": employee.name_en, "course": batch.course.title_en, "batch": batch.code},
            url=_url(nomination),
        )
    return nomination


# --- Deciding ------------------------------------------------------------------------


@transaction.atomic
def nomination_approve(*, nomination: Nomination, by: User, reason: str = "") -> Nomination:
    """The approver of the current step says yes; the nomination moves to the next step.

    Raises PermissionDenied when the step is not the user's to decide.
    """
    nomination = _lock(nomination)
    if nomination.status != S.REQUESTED:
        raise ValidationError(_("Only a request awaiting approval can be approved."))
    if not may_decide_step(user=by, nomination=nomination):
        raise PermissionDenied
    before = nomination.status
    steps = nomination.steps or [Step.INSTITUTE]
    following = steps[steps.index(nomination.step) + 1 :] if nomination.step in steps else []
    nomination.step = following[0] if following else Step.INSTITUTE
    if nomination.step == Step.INSTITUTE:
        nomination.status = S.APPROVED
    nomination.save(update_fields=["status", "step", "updated_at"])
    _record(nomination, action="approved", by=by, before=before, reason=reason)
    notify(
        users=[nomination.employee.user],
        message=gettext_lazy("Your request for %(course)s was approved; next: %(step)s."),
        params={
            "course": nomination.batch.course.title_en,
            "step": Step(nomination.step).label,
        },
        url=_url(nomination),
    )
    if nomination.status == S.REQUESTED:
        notify(
            users=_approvers_of(nomination),
            message=gettext_lazy("%(name)s asks for a seat in %(course)s (batch %(batch)s)."),
            params={
                "name": nomination.employee.name_en,
                "course": nomination.batch.course.title_en,
                "batch": nomination.batch.code,
            },
            url=_url(nomination),
        )
    return nomination


@transaction.atomic
def nomination_reject(*, nomination: Nomination, by: User, reason: str) -> Nomination:
    """An approver or the institute says no, with a reason the employee sees."""
    _require_reason(reason)
    nomination = _lock(nomination)
    if nomination.status not in (S.REQUESTED, S.APPROVED, S.WAITLISTED):
        raise ValidationError(_("This nomination can no longer be rejected."))
    if not may_decide_step(user=by, nomination=nomination):
        raise PermissionDenied
    before = nomination.status
    nomination.status = S.REJECTED
    nomination.save(update_fields=["status", "updated_at"])
    _record(nomination, action="rejected", by=by, before=before, reason=reason)
    notify(
        users=[nomination.employee.user, nomination.nominated_by],
        message=gettext_lazy("The nomination of %(name)s to %(course)s was rejected: %(reason)s"),
        params={
            "name": nomination.employee.name_en,
            "course": nomination.batch.course.title_en,
            "reason": reason,
        },
        url=_url(nomination),
    )
    return nomination


def _seats_taken(batch: Batch) -> int:
    return Nomination.objects.filter(batch=batch, status=S.CONFIRMED).count()


def _confirm(nomination: Nomination, *, by: User | None, action: str, reason: str = "") -> None:
    before = nomination.status
    nomination.status = S.CONFIRMED
    nomination.step = ""
    nomination.waitlisted_at = None
    nomination.save(update_fields=["status", "step", "waitlisted_at", "updated_at"])
    enrolment_open(employee=nomination.employee, batch=nomination.batch)
    _record(nomination, action=action, by=by, before=before, reason=reason)
    notify(
        users=[nomination.employee.user, nomination.nominated_by],
        message=gettext_lazy(
            "Seat confirmed for %(name)s: %(course)s, batch %(batch)s, %(start)s to %(end)s."
        ),
        params={
            "name": nomination.employee.name_en,
            "course": nomination.batch.course.title_en,
            "batch": nomination.batch.code,
            "start": nomination.batch.starts_on,
            "end": nomination.batch.ends_on,
        },
        url=_url(nomination),
    )


def _waitlist(nomination: Nomination, *, by: User, reason: str = "") -> None:
    before = nomination.status
    nomination.status = S.WAITLISTED
    nomination.waitlisted_at = timezone.now()
    nomination.save(update_fields=["status", "waitlisted_at", "updated_at"])
    _record(nomination, action="waitlisted", by=by, before=before, reason=reason)
    notify(
        users=[nomination.employee.user, nomination.nominated_by],
        message=gettext_lazy(
            "%(name)s is on the waitlist for %(course)s (batch %(batch)s); "
            "a seat is offered automatically if one frees up."
        ),
        params={
            "name": nomination.employee.name_en,
            "course": nomination.batch.course.title_en,
            "batch": nomination.batch.code,
        },
        url=_url(nomination),
    )


@transaction.atomic
def nomination_confirm(*, nomination: Nomination, by: User, reason: str = "") -> Nomination:
    """The institute gives the seat; refused when the batch is full."""
    # Lock the batch first: two coordinators may confirm the last seat at once.
    Batch.objects.select_for_update().get(pk=nomination.batch_id)
    nomination = _lock(nomination)
    if nomination.status not in (S.APPROVED, S.WAITLISTED):
        raise ValidationError(_("Only an approved or waitlisted nomination can be confirmed."))
    if not may_decide_step(user=by, nomination=nomination):
        raise PermissionDenied
    if _seats_taken(nomination.batch) >= nomination.batch.capacity:
        raise ValidationError(_("The batch is full; put the nomination on the waitlist."))
    _confirm(nomination, by=by, action="confirmed", reason=reason)
    return nomination


@transaction.atomic
def nomination_waitlist(*, nomination: Nomination, by: User, reason: str = "") -> Nomination:
    nomination = _lock(nomination)
    if nomination.status != S.APPROVED:
        raise ValidationError(_("Only an approved nomination can be waitlisted."))
    if not may_decide_step(user=by, nomination=nomination):
        raise PermissionDenied
    _waitlist(nomination, by=by, reason=reason)
    return nomination


@dataclass
class ConfirmResult:
    confirmed: list[Nomination] = field(default_factory=list)
    waitlisted: list[Nomination] = field(default_factory=list)


@transaction.atomic
def nominations_confirm(
    *, batch: Batch, nominations: Iterable[Nomination], by: User
) -> ConfirmResult:
    """Confirm the chosen nominations in the order they came; the ones beyond the batch's
    capacity go to the waitlist instead."""
    batch = Batch.objects.select_for_update().select_related("course").get(pk=batch.pk)
    if not access_for(by).covers_provider(Perm.CATALOG_MANAGE, batch.course.provider_id):
        raise PermissionDenied
    chosen = list(
        Nomination.objects.select_for_update(of=("self",))
        .filter(
            batch=batch, pk__in=[n.pk for n in nominations], status__in=(S.APPROVED, S.WAITLISTED)
        )
        .select_related("employee__user", "batch__course", "nominated_by")
        .order_by("waitlisted_at", "created_at", "pk")
    )
    free = batch.capacity - _seats_taken(batch)
    result = ConfirmResult()
    for nomination in chosen:
        if free > 0:
            _confirm(nomination, by=by, action="confirmed")
            result.confirmed.append(nomination)
            free -= 1
        elif nomination.status == S.APPROVED:
            _waitlist(nomination, by=by, reason=_("The batch is full."))
            result.waitlisted.append(nomination)
    return result


@transaction.atomic
def nomination_withdraw(*, nomination: Nomination, by: User, reason: str = "") -> Nomination:
    """The employee, their nodal officer or the institute withdraws a nomination.

    A confirmed seat that frees up before the batch starts goes to the first person on
    the waitlist.
    """
    Batch.objects.select_for_update().get(pk=nomination.batch_id)
    nomination = _lock(nomination)
    if not nomination.is_active:
        raise ValidationError(_("This nomination is no longer active."))
    if not may_withdraw(user=by, nomination=nomination):
        raise PermissionDenied
    batch = nomination.batch
    if timezone.localdate() > batch.ends_on:
        raise ValidationError(_("The batch is over; its record can no longer change here."))
    before = nomination.status
    nomination.status = S.WITHDRAWN
    nomination.step = ""
    nomination.save(update_fields=["status", "step", "updated_at"])
    _record(nomination, action="withdrawn", by=by, before=before, reason=reason)
    if before == S.CONFIRMED:
        enrolment_withdraw(employee=nomination.employee, batch=batch)
        if timezone.localdate() < batch.starts_on:
            waitlist_promote(batch=batch)
    notify(
        users=[nomination.employee.user, nomination.nominated_by],
        message=gettext_lazy("The nomination of %(name)s to %(course)s was withdrawn."),
        params={"name": nomination.employee.name_en, "course": batch.course.title_en},
        url=_url(nomination),
    )
    return nomination


def waitlist_promote(*, batch: Batch) -> list[Nomination]:
    """Offer free seats to the waitlist, first come first served. Call inside a
    transaction that holds the batch's lock."""
    free = batch.capacity - _seats_taken(batch)
    if free <= 0:
        return []
    promoted = list(
        Nomination.objects.select_for_update(of=("self",))
        .filter(batch=batch, status=S.WAITLISTED)
        .select_related("employee__user", "batch__course", "nominated_by")
        .order_by("waitlisted_at", "pk")[:free]
    )
    for nomination in promoted:
        _confirm(nomination, by=None, action="promoted", reason=_("A seat became free."))
    return promoted


class Decision(Protocol):
    def __call__(self, *, nomination: Nomination, by: User, reason: str) -> Nomination: ...


# The decisions a person can take on one nomination, by the name pages and the API use.
DECISIONS: dict[str, Decision] = {
    "approve": nomination_approve,
    "reject": nomination_reject,
    "confirm": nomination_confirm,
    "waitlist": nomination_waitlist,
    "withdraw": nomination_withdraw,
}


def nomination_decide(
    *, nomination: Nomination, by: User, action: str, reason: str = ""
) -> Nomination:
    """Take the decision named `action` (a key of DECISIONS) with the rules of its service."""
    return DECISIONS[action](nomination=nomination, by=by, reason=reason)
