"""Attendance: faculty and coordinators mark a whole session at once.

The first marks of a session are written together; a later change to a mark is a
correction, recorded in the audit trail with the values before and after and who made it.
Submitting the same marks again writes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govtrain.accounts.models import User
from govtrain.audit.models import AuditEvent
from govtrain.audit.services import audit_record
from govtrain.classroom import selectors
from govtrain.classroom.models import Attendance, Batch, Session
from govtrain.records.selectors import participant_ids_of

# Minutes a late arrival misses when the sheet gives no figure of its own.
DEFAULT_LATE_BY = 15

S = Attendance.Status


@dataclass(frozen=True)
class MarkResult:
    """What a submission did: new marks, corrected marks, marks left as they were."""

    created: int
    corrected: int
    unchanged: int


def mark_minutes(*, status: str, minutes: int | None, session_minutes: int, late_by: int) -> int:
    """The minutes present a mark stands for; ValidationError when they do not fit.

    Present is the whole session and absent or excused none of it, so neither takes a
    figure other than that. Late and partly present are some of the session, more than
    none and less than all: late defaults to the session less `late_by` minutes, partly
    present needs its figure.
    """
    if status not in S.values:
        raise ValidationError(_("Choose present, late, partly present, absent or excused."))
    if minutes is not None and not 0 <= minutes <= session_minutes:
        raise ValidationError(
            _("Minutes present must be between 0 and %(length)d, the length of the session.")
            % {"length": session_minutes}
        )
    if status == S.PRESENT:
        if minutes not in (None, session_minutes):
            raise ValidationError(
                _("Present is the whole session; choose late or partly present for less.")
            )
        return session_minutes
    if status in (S.ABSENT, S.EXCUSED):
        if minutes:
            raise ValidationError(_("Absent or excused means no minutes present."))
        return 0
    if minutes is None:
        if status == S.PARTIAL:
            raise ValidationError(_("Enter the minutes present of someone partly present."))
        minutes = session_minutes - late_by
    if not 0 < minutes < session_minutes:
        raise ValidationError(
            _("Late or partly present is more than 0 and less than %(length)d minutes.")
            % {"length": session_minutes}
        )
    return minutes


def may_mark(*, user: User, batch: Batch) -> bool:
    """Coordinators of the batch's provider, state administrators, and its faculty."""
    return selectors.batch_may_manage(user=user, batch=batch) or selectors.batch_is_taught_by(
        user=user, batch=batch
    )


def _snapshot(mark: Attendance) -> dict[str, Any]:
    return {"status": mark.status, "minutes": mark.minutes}


@transaction.atomic
def attendance_mark(
    *,
    session: Session,
    marks: Mapping[int, tuple[str, int | None]],
    by: User,
    late_by: int = DEFAULT_LATE_BY,
    reason: str = "",
) -> MarkResult:
    """Mark participants of a session: `marks` maps employee ids to (status, minutes or None).

    Faculty of the batch, its provider's coordinators and state administrators only
    (PermissionDenied). ValidationError, before anything is written, for a cancelled
    batch, a session after today, someone who is not a participant, or minutes that do
    not fit the status (keyed by employee id). Participants left out keep their marks.
    """
    # Lock the session: two faculty members may submit the same sheet at once.
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("batch__course")
        .get(pk=session.pk)
    )
    batch = session.batch
    if not may_mark(user=by, batch=batch):
        raise PermissionDenied(_("You do not teach or manage this batch."))
    if batch.status == Batch.Status.CANCELLED:
        raise ValidationError(_("The batch was cancelled; there is no attendance to mark."))
    if session.date > timezone.localdate():
        raise ValidationError(_("Attendance of a session can be marked from its day on."))
    length = session.minutes
    uses_late_by = any(status == S.LATE and minutes is None for status, minutes in marks.values())
    if uses_late_by and not 0 <= late_by < length:
        message = _("Late arrivals miss less than the session's %(length)d minutes.")
        raise ValidationError({"late_by": message % {"length": length}})
    outsiders = set(marks) - participant_ids_of(batch=batch)
    if outsiders:
        raise ValidationError(
            _("%(count)d of the people marked are not participants of this batch.")
            % {"count": len(outsiders)}
        )
    wanted: dict[int, tuple[str, int]] = {}
    errors: dict[str, list[str]] = {}
    for employee_id, (status, minutes) in marks.items():
        try:
            wanted[employee_id] = (
                status,
                mark_minutes(
                    status=status, minutes=minutes, session_minutes=length, late_by=late_by
                ),
            )
        except ValidationError as e:
            errors[str(employee_id)] = e.messages
    if errors:
        raise ValidationError(errors)

    existing = {a.employee_id: a for a in Attendance.objects.filter(session=session)}
    now = timezone.now()
    new: list[Attendance] = []
    corrected: list[Attendance] = []
    corrections: list[AuditEvent] = []
    for employee_id, (status, minutes) in wanted.items():
        mark = existing.get(employee_id)
        if mark is None:
            new.append(
                Attendance(
                    session=session,
                    employee_id=employee_id,
                    status=status,
                    minutes=minutes,
                    marked_by=by,
                )
            )
        elif (mark.status, mark.minutes) != (status, minutes):
            mark.session = session  # its label names the session: no query per row
            before = _snapshot(mark)
            mark.status, mark.minutes, mark.marked_by, mark.updated_at = status, minutes, by, now
            corrected.append(mark)
            corrections.append(
                AuditEvent(
                    actor=by,
                    action="attendance.corrected",
                    target_type=Attendance._meta.label_lower,
                    target_id=str(mark.pk),
                    target_label=str(mark)[:200],
                    before=before,
                    after=_snapshot(mark),
                    reason=reason[:500],
                )
            )
    if new:
        Attendance.objects.bulk_create(new, batch_size=500)
        counts = Counter(a.status for a in new)
        audit_record(
            actor=by,
            action="attendance.marked",
            target=session,
            after={"marked": len(new), **{status: counts[status] for status in sorted(counts)}},
        )
    if corrected:
        Attendance.objects.bulk_update(
            corrected, ["status", "minutes", "marked_by", "updated_at"], batch_size=500
        )
        # One audit event per corrected mark, as `audit_record` writes them, in one insert:
        # a whole sheet corrected at once (everyone marked absent by mistake) stays fast.
        AuditEvent.objects.bulk_create(corrections, batch_size=500)
    return MarkResult(
        created=len(new),
        corrected=len(corrected),
        unchanged=len(wanted) - len(new) - len(corrected),
    )
