"""Reads of the training record. Who may see whose record is decided by the caller
through `govtrain.people.selectors` (an employee one may see is a record one may see)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from govtrain.classroom.models import Batch
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

# Enrolments that make someone a participant of a batch: they hold a seat, whatever the
# outcome. A withdrawn enrolment is not a participant.
PARTICIPATING = (
    Enrolment.Status.ENROLLED,
    Enrolment.Status.COMPLETED,
    Enrolment.Status.NOT_COMPLETED,
)


def participants_of(*, batch: Batch) -> QuerySet[Enrolment]:
    """The batch's participants (their enrolments, employee loaded), ordered by name."""
    return (
        Enrolment.objects.filter(batch=batch, status__in=PARTICIPATING)
        .select_related("employee")
        .order_by("employee__name_en", "employee__pen")
    )


def participant_ids_of(*, batch: Batch) -> set[int]:
    """The employee ids of the batch's participants, in one query."""
    return set(
        Enrolment.objects.filter(batch=batch, status__in=PARTICIPATING).values_list(
            "employee_id", flat=True
        )
    )


def is_participant(*, batch: Batch, employee_id: int | None) -> bool:
    if employee_id is None:
        return False
    return Enrolment.objects.filter(
        batch=batch, employee_id=employee_id, status__in=PARTICIPATING
    ).exists()


def training_record_for(*, employee: Employee) -> QuerySet[Enrolment]:
    """The employee's completed training, newest first, with course, provider and batch."""
    return (
        Enrolment.objects.filter(employee=employee, status=Enrolment.Status.COMPLETED)
        .select_related("course__provider", "batch")
        .order_by("-completed_on", "-pk")
    )


@dataclass(frozen=True)
class RecordTotals:
    year: int
    hours_this_year: Decimal
    hours_all_time: Decimal
    courses_all_time: int


def training_totals_for(*, employee: Employee, today: dt.date | None = None) -> RecordTotals:
    """Hours credited this calendar year and in all, in one query."""
    year = (today or timezone.localdate()).year
    totals = Enrolment.objects.filter(
        employee=employee, status=Enrolment.Status.COMPLETED
    ).aggregate(
        this_year=Sum(
            "hours_credited",
            filter=Q(
                completed_on__gte=dt.date(year, 1, 1), completed_on__lte=dt.date(year, 12, 31)
            ),
        ),
        all_time=Sum("hours_credited"),
        courses=Count("pk"),
    )
    return RecordTotals(
        year=year,
        hours_this_year=Decimal(totals["this_year"] or 0),
        hours_all_time=Decimal(totals["all_time"] or 0),
        courses_all_time=int(totals["courses"] or 0),
    )
