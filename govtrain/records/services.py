"""Writes to the training record. Classroom confirmations open enrolments here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govtrain.accounts.models import User
from govtrain.audit.services import audit_changes, audit_record
from govtrain.catalog.models import Course
from govtrain.certificates.services import issuing as certificates
from govtrain.certificates.services import revoking as certificate_revoking
from govtrain.classroom.models import Batch
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment
from govtrain.records.selectors import PARTICIPATING


@transaction.atomic
def enrolment_open(*, employee: Employee, batch: Batch) -> Enrolment:
    """Enrol a confirmed participant in a batch (again, if they had withdrawn)."""
    enrolment, created = Enrolment.objects.get_or_create(
        employee=employee, batch=batch, defaults={"course_id": batch.course_id}
    )
    if not created and enrolment.status == Enrolment.Status.WITHDRAWN:
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.save(update_fields=["status", "updated_at"])
    return enrolment


@transaction.atomic
def enrolment_open_in_course(*, employee: Employee, course: Course, by: User | None) -> Enrolment:
    """Enrol an employee in a course that has no batches (online, external): once per
    course, reopened if they had withdrawn. A completed enrolment stays completed.
    The caller checks that the course is open to them and that `by` may enrol them."""
    if course.modality == Course.Modality.CLASSROOM:
        raise ValidationError(_("A classroom course is joined through a batch's nomination."))
    enrolment, created = Enrolment.objects.select_for_update().get_or_create(
        employee=employee, course=course, batch=None
    )
    if created or enrolment.status == Enrolment.Status.WITHDRAWN:
        before = None if created else {"status": enrolment.status}
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=by,
            action="enrolment.enrolled",
            target=enrolment,
            before=before,
            after={"status": enrolment.status},
        )
    return enrolment


@transaction.atomic
def enrolment_complete(
    *, enrolment: Enrolment, completed_on: dt.date, by: User | None, reason: str = ""
) -> Enrolment:
    """Record the completion of an enrolment without a batch (an online course's rule met,
    an external course's evidence verified), credit the course's hours and queue its
    certificate. Idempotent: completing a completed enrolment changes nothing."""
    enrolment = Enrolment.objects.select_for_update().select_related("course").get(pk=enrolment.pk)
    if enrolment.batch_id is not None:
        raise ValidationError(_("A batch's enrolments are completed when the batch is closed."))
    if enrolment.status == Enrolment.Status.COMPLETED:
        return enrolment
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError(_("A withdrawn enrolment cannot be completed."))
    before = _outcome_snapshot(enrolment)
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_on = completed_on
    enrolment.hours_credited = enrolment.course.hours
    enrolment.save(update_fields=["status", "completed_on", "hours_credited", "updated_at"])
    audit_changes(
        actor=by,
        action="enrolment.completed",
        target=enrolment,
        before=before,
        after=_outcome_snapshot(enrolment),
        reason=reason,
    )
    certificates.issue_after_commit(enrolment_ids=[enrolment.pk])
    return enrolment


def enrolment_withdraw(*, employee: Employee, batch: Batch) -> None:
    """A participant left the batch before it was completed."""
    Enrolment.objects.filter(
        employee=employee, batch=batch, status=Enrolment.Status.ENROLLED
    ).update(status=Enrolment.Status.WITHDRAWN)


@dataclass(frozen=True)
class Outcomes:
    """What recording a batch's outcomes did: counts of each outcome and of changed rows."""

    completed: int
    not_completed: int
    changed: int


def _attendance_percent(minutes: int, total_minutes: int) -> Decimal:
    # Rounded down: the stored figure never shows more attendance than there was (79.96
    # is 79.9, not a misleading 80.0 next to "not completed").
    return (Decimal(minutes * 100) / Decimal(total_minutes)).quantize(
        Decimal("0.1"), rounding=ROUND_DOWN
    )


def _outcome_snapshot(enrolment: Enrolment) -> dict[str, Any]:
    return {
        "status": enrolment.status,
        "completed_on": enrolment.completed_on.isoformat() if enrolment.completed_on else None,
        "hours_credited": str(Decimal(enrolment.hours_credited).quantize(Decimal("0.1"))),
        "attendance_percent": (
            str(enrolment.attendance_percent) if enrolment.attendance_percent is not None else None
        ),
    }


@transaction.atomic
def enrolment_outcomes_record(
    *, batch: Batch, minutes_present: Mapping[int, int], total_minutes: int, by: User
) -> Outcomes:
    """Write each participant's outcome of a finished batch from the minutes they attended.

    At or above the course's completion share of `total_minutes` an enrolment is
    completed on the batch's last day with the course's hours; below it, not completed.
    Withdrawn enrolments stay as they are. Running it again recomputes (after a
    correction of attendance); only rows whose outcome changed are written and audited.
    Completions get their certificates; a completion undone revokes its certificate.
    The caller checks that `by` may close the batch (classroom.services.completion).
    """
    if total_minutes <= 0:
        raise ValidationError(_("The batch has no timetabled minutes to count attendance by."))
    course = batch.course
    threshold = course.completion_attendance_percent
    enrolments = list(
        Enrolment.objects.select_for_update()
        .filter(batch=batch, status__in=PARTICIPATING)
        .select_related("employee")
        .order_by("pk")
    )
    changed: list[Enrolment] = []
    completed = 0
    for enrolment in enrolments:
        before = _outcome_snapshot(enrolment)
        minutes = minutes_present.get(enrolment.employee_id, 0)
        # Integer comparison: exactly the threshold completes, with no rounding on the way.
        if minutes * 100 >= threshold * total_minutes:
            completed += 1
            enrolment.status = Enrolment.Status.COMPLETED
            enrolment.completed_on = batch.ends_on
            enrolment.hours_credited = course.hours
        else:
            enrolment.status = Enrolment.Status.NOT_COMPLETED
            enrolment.completed_on = None
            enrolment.hours_credited = Decimal(0)
        enrolment.attendance_percent = _attendance_percent(minutes, total_minutes)
        event = audit_changes(
            actor=by,
            action=f"enrolment.{enrolment.status}",
            target=enrolment,
            before=before,
            after=_outcome_snapshot(enrolment),
        )
        if event is not None:
            changed.append(enrolment)
    now = timezone.now()
    for enrolment in changed:
        enrolment.updated_at = now
    Enrolment.objects.bulk_update(
        changed,
        ["status", "completed_on", "hours_credited", "attendance_percent", "updated_at"],
        batch_size=500,
    )
    # Every completion gets its certificate (in the background, once this commits); one
    # whose completion a correction of attendance undid is revoked at once.
    certificates.issue_after_commit(
        enrolment_ids=[e.pk for e in enrolments if e.status == Enrolment.Status.COMPLETED]
    )
    certificate_revoking.certificates_revoke_lapsed(
        enrolment_ids=[e.pk for e in changed if e.status != Enrolment.Status.COMPLETED], by=by
    )
    return Outcomes(
        completed=completed, not_completed=len(enrolments) - completed, changed=len(changed)
    )
