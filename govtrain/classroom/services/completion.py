"""Closing a batch: each participant's attendance decides whether they completed it.

The outcome is written to the training record by `govtrain.records.services`; this
module only adds up the minutes and closes the batch.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from govtrain.accounts.models import User
from govtrain.audit.services import audit_record
from govtrain.classroom import selectors
from govtrain.classroom.models import Attendance, Batch
from govtrain.records.services import Outcomes, enrolment_outcomes_record


@transaction.atomic
def batch_complete(*, batch: Batch, by: User) -> Outcomes:
    """Record completions of a batch that has ended, and close it.

    A participant completes with attendance (minutes present over the minutes of every
    session) at or above the course's completion share. Coordinators of the provider and
    state administrators only (PermissionDenied). ValidationError for a cancelled batch,
    one whose last day has not come, or one with a session nobody marked. Running it
    again, after a correction of attendance, recomputes; if nothing changed, nothing is
    written.
    """
    batch = Batch.objects.select_for_update(of=("self",)).select_related("course").get(pk=batch.pk)
    if not selectors.batch_may_manage(user=by, batch=batch):
        raise PermissionDenied(_("Only the institute's coordinators can close a batch."))
    if batch.status == Batch.Status.CANCELLED:
        raise ValidationError(_("A cancelled batch has no completions to record."))
    if timezone.localdate() < batch.ends_on:
        raise ValidationError(
            _("Completions can be recorded from the last day of the batch, %(date)s.")
            % {"date": date_format(batch.ends_on)}
        )
    sessions = list(batch.sessions.order_by("date", "starts_at"))
    if not sessions:
        raise ValidationError(_("The batch has no sessions to count attendance by."))
    marks = Attendance.objects.filter(session__batch=batch)
    marked = set(marks.values_list("session_id", flat=True).distinct())
    unmarked = [s for s in sessions if s.pk not in marked]
    if unmarked:
        raise ValidationError(
            _("Mark attendance of every session first; not yet marked: %(sessions)s.")
            % {
                "sessions": ", ".join(
                    f"{date_format(s.date)} {s.starts_at:%H:%M}" for s in unmarked
                )
            }
        )
    minutes_present = {
        employee_id: int(total or 0)
        for employee_id, total in marks.values_list("employee_id")
        .annotate(total=Sum("minutes"))
        .order_by()
    }
    outcomes = enrolment_outcomes_record(
        batch=batch,
        minutes_present=minutes_present,
        total_minutes=sum(s.minutes for s in sessions),
        by=by,
    )
    was = batch.status
    if was != Batch.Status.CLOSED:
        batch.status = Batch.Status.CLOSED
        batch.save(update_fields=["status", "updated_at"])
    if was != batch.status or outcomes.changed:
        audit_record(
            actor=by,
            action="batch.closed" if was != batch.status else "batch.completions_recomputed",
            target=batch,
            before={"status": was},
            after={
                "status": batch.status,
                "completed": outcomes.completed,
                "not_completed": outcomes.not_completed,
                "changed": outcomes.changed,
            },
        )
    return outcomes
