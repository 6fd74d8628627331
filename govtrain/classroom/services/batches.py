"""Scheduling classroom batches: dates, room, timetable, faculty and seat quotas.

A batch may not double-book its room or its faculty, its sessions fall within its dates,
and its nominations close early enough for the approval chain to run (the lead time of
the approval policy). Every rule is checked before anything is written, and every write is
audited with the values before and after.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.audit.services import audit_record
from govtrain.catalog.models import Centre, Course, Venue
from govtrain.catalog.services import catalog_changed
from govtrain.classroom.models import (
    Attendance,
    Batch,
    BatchQuota,
    Nomination,
    NominationEvent,
    Session,
)
from govtrain.classroom.selectors import policy_for
from govtrain.notifications.services import notify
from govtrain.organisation.models import Department
from govtrain.people.models import Employee, ServiceClass


class Slot(NamedTuple):
    """One session of a timetable: (date, start, end, title, faculty)."""

    date: dt.date
    starts_at: dt.time
    ends_at: dt.time
    title: str
    faculty: Employee | None = None


# A session as a plain tuple does as well: (date, start, end, title[, faculty]).
SlotLike = (
    Slot
    | tuple[dt.date, dt.time, dt.time, str]
    | tuple[dt.date, dt.time, dt.time, str, Employee | None]
)


class QuotaRow(NamedTuple):
    """At most `seats` for people matching every criterion given."""

    seats: int
    department: Department | None = None
    service_class: ServiceClass | None = None
    gender: str = ""


# What batch_update may change; the course stays (nominations were made to it).
EDITABLE_FIELDS = (
    "code",
    "centre",
    "venue",
    "starts_on",
    "ends_on",
    "capacity",
    "nominations_open_on",
    "nominations_close_on",
    "language",
)
CLASSROOM_MODALITIES = (Course.Modality.CLASSROOM, Course.Modality.BLENDED)
GENDERS = frozenset(Employee.Gender.values)

CANCELLED_MESSAGE = gettext_lazy(
    "The batch %(batch)s of %(course)s, due to start on %(starts)s, has been cancelled: %(reason)s"
)

# Dates in messages that are rendered later, in each recipient's language.
_lazy_date = lazy(date_format, str)


# --- Who may act ---------------------------------------------------------------------


def _check_manages(*, by: User, course: Course) -> None:
    if not access_for(by).covers_provider(Perm.CATALOG_MANAGE, course.provider_id):
        raise PermissionDenied(_("You do not manage this provider's batches."))


def _check_scheduled(batch: Batch) -> None:
    if batch.status != Batch.Status.SCHEDULED:
        raise ValidationError(
            _("Batch %(batch)s is %(status)s and can no longer be changed.")
            % {"batch": batch.code, "status": batch.get_status_display().lower()}
        )


# --- The rules -----------------------------------------------------------------------


def _day(value: dt.date) -> str:
    return date_format(value)


def _hm(value: dt.time) -> str:
    return f"{value:%H:%M}"


def _overlap(a: tuple[dt.time, dt.time], b: tuple[dt.time, dt.time]) -> bool:
    """Do two time ranges on the same day overlap? (One ending as the next starts: no.)"""
    return a[0] < b[1] and b[0] < a[1]


def _batch_problems(batch: Batch) -> list[str]:
    course, centre, venue = batch.course, batch.centre, batch.venue
    problems = []
    if course.modality not in CLASSROOM_MODALITIES:
        problems.append(
            _("%(course)s is not a classroom or blended course, so it has no batches.")
            % {"course": course.title}
        )
    if centre.provider_id != course.provider_id:
        problems.append(
            _("%(centre)s belongs to another provider than the course.") % {"centre": centre.name}
        )
    if venue.centre_id != centre.pk:
        problems.append(
            _("%(venue)s is not at %(centre)s.") % {"venue": venue.name, "centre": centre.name}
        )
    if batch.capacity < 1:
        problems.append(_("A batch needs at least one seat."))
    elif batch.capacity > venue.capacity:
        problems.append(
            _("%(venue)s seats %(seats)s; the batch cannot take %(capacity)s.")
            % {"venue": venue.name, "seats": venue.capacity, "capacity": batch.capacity}
        )
    if batch.ends_on < batch.starts_on:
        problems.append(_("The batch cannot end before it starts."))
    if batch.nominations_close_on < batch.nominations_open_on:
        problems.append(_("Nominations cannot close before they open."))
    # The approval chain needs the policy's lead time between the close and the start;
    # with no lead time, nominations still close the day before at the latest.
    lead_days = policy_for(course).lead_days
    latest = batch.starts_on - dt.timedelta(days=max(lead_days, 1))
    if batch.nominations_close_on > latest:
        problems.append(
            _(
                "Nominations must close by %(latest)s, %(days)s days before the batch starts, "
                "for the approval chain to run."
            )
            % {"latest": _day(latest), "days": max(lead_days, 1)}
        )
    if course.languages and batch.language not in course.languages:
        problems.append(
            _("The course is taught in %(languages)s, not in %(language)s.")
            % {"languages": ", ".join(course.languages), "language": batch.language}
        )
    if batch.pk is not None:
        confirmed = batch.nominations.filter(status=Nomination.Status.CONFIRMED).count()
        if batch.capacity < confirmed:
            problems.append(
                _("%(n)s people are already confirmed; the capacity cannot be less.")
                % {"n": confirmed}
            )
    return problems


def _timetable_problems(batch: Batch, slots: Sequence[Slot]) -> list[str]:
    problems = []
    for slot in slots:
        if not slot.title.strip():
            problems.append(_("The session on %(date)s needs a title.") % {"date": _day(slot.date)})
        if slot.ends_at <= slot.starts_at:
            problems.append(
                _("The session on %(date)s at %(start)s ends before it starts.")
                % {"date": _day(slot.date), "start": _hm(slot.starts_at)}
            )
        if not batch.starts_on <= slot.date <= batch.ends_on:
            problems.append(
                _("The session on %(date)s is outside the batch's dates (%(starts)s to %(ends)s).")
                % {
                    "date": _day(slot.date),
                    "starts": _day(batch.starts_on),
                    "ends": _day(batch.ends_on),
                }
            )
    ordered = sorted(slots, key=lambda s: (s.date, s.starts_at))
    for a, b in itertools.pairwise(ordered):
        if a.date == b.date and _overlap((a.starts_at, a.ends_at), (b.starts_at, b.ends_at)):
            problems.append(
                _("Two sessions on %(date)s overlap: %(a)s and %(b)s.")
                % {"date": _day(a.date), "a": _hm(a.starts_at), "b": _hm(b.starts_at)}
            )
    if batch.pk is not None:
        kept = {(s.date, s.starts_at) for s in slots}
        removed = [s.pk for s in batch.sessions.all() if (s.date, s.starts_at) not in kept]
        marked = (
            Attendance.objects.filter(session_id__in=removed)
            .select_related("session")
            .order_by("session__date")
            .first()
        )
        if marked is not None:
            problems.append(
                _("Attendance was marked for the session on %(date)s at %(start)s; keep it.")
                % {"date": _day(marked.session.date), "start": _hm(marked.session.starts_at)}
            )
    return problems


def _quota_problems(batch: Batch, quotas: Sequence[QuotaRow]) -> list[str]:
    problems = []
    seen = set()
    for row in quotas:
        criteria = (
            row.department.pk if row.department else None,
            row.service_class.pk if row.service_class else None,
            row.gender,
        )
        label = " / ".join(str(c) for c in (row.department, row.service_class, row.gender) if c)
        if criteria == (None, None, ""):
            problems.append(_("A quota needs a department, a service class or a gender."))
            continue
        if row.gender and row.gender not in GENDERS:
            problems.append(_("Choose the quota's gender from the list."))
        if not 1 <= row.seats <= batch.capacity:
            problems.append(
                _("The quota for %(who)s must be between 1 and %(capacity)s seats.")
                % {"who": label, "capacity": batch.capacity}
            )
        if criteria in seen:
            problems.append(_("The quota for %(who)s is given twice.") % {"who": label})
        seen.add(criteria)
    return problems


def _faculty_problems(slots: Sequence[Slot], faculty: Iterable[Employee]) -> list[str]:
    listed = {e.pk for e in faculty}
    teaching = {s.faculty.pk: s.faculty for s in slots if s.faculty is not None}
    return [
        _("%(name)s teaches sessions of this batch; take them off the timetable first.")
        % {"name": person.display_name}
        for pk, person in teaching.items()
        if pk not in listed
    ]


def _conflicts(batch: Batch, slots: Sequence[Slot]) -> list[str]:
    """Another scheduled batch in the same room at the same time, or a faculty member
    who would be teaching in two places at once."""
    problems = []
    others = (
        Batch.objects.filter(
            venue_id=batch.venue_id,
            status=Batch.Status.SCHEDULED,
            starts_on__lte=batch.ends_on,
            ends_on__gte=batch.starts_on,
        )
        .exclude(pk=batch.pk)
        .prefetch_related("sessions")
        .order_by("starts_on", "code")
    )
    for other in others:
        theirs = list(other.sessions.all())
        if not slots or not theirs:
            # Without a timetable on either side, the dates alone decide.
            problems.append(
                _("%(venue)s is already booked for batch %(batch)s from %(starts)s to %(ends)s.")
                % {
                    "venue": batch.venue.name,
                    "batch": other.code,
                    "starts": _day(other.starts_on),
                    "ends": _day(other.ends_on),
                }
            )
            continue
        clash = next(
            (
                session
                for session in theirs
                for slot in slots
                if session.date == slot.date
                and _overlap((session.starts_at, session.ends_at), (slot.starts_at, slot.ends_at))
            ),
            None,
        )
        if clash is not None:
            problems.append(
                _(
                    "%(venue)s is already booked for batch %(batch)s "
                    "on %(date)s from %(start)s to %(end)s."
                )
                % {
                    "venue": batch.venue.name,
                    "batch": other.code,
                    "date": _day(clash.date),
                    "start": _hm(clash.starts_at),
                    "end": _hm(clash.ends_at),
                }
            )
    taught = [(s, s.faculty) for s in slots if s.faculty is not None]
    if not taught:
        return problems
    elsewhere = (
        Session.objects.filter(
            faculty_id__in={person.pk for _slot, person in taught},
            date__in={slot.date for slot, _person in taught},
            batch__status=Batch.Status.SCHEDULED,
        )
        .exclude(batch_id=batch.pk)
        .select_related("batch")
        .order_by("date", "starts_at")
    )
    for session in elsewhere:
        for slot, person in taught:
            if (
                session.faculty_id == person.pk
                and session.date == slot.date
                and _overlap((session.starts_at, session.ends_at), (slot.starts_at, slot.ends_at))
            ):
                problems.append(
                    _(
                        "%(name)s already teaches batch %(batch)s on %(date)s "
                        "from %(start)s to %(end)s."
                    )
                    % {
                        "name": person.display_name,
                        "batch": session.batch.code,
                        "date": _day(session.date),
                        "start": _hm(session.starts_at),
                        "end": _hm(session.ends_at),
                    }
                )
                break
    return problems


def _lock_resources(*, venue: Venue, slots: Sequence[Slot]) -> None:
    """Lock the room and the faculty: two coordinators booking the last free slot of a room
    (or of a teacher) at once would both see it free. (SQLite serialises writers anyway.)"""
    list(Venue.objects.select_for_update().filter(pk=venue.pk))
    faculty = sorted({s.faculty.pk for s in slots if s.faculty is not None})
    if faculty:
        list(Employee.objects.select_for_update().filter(pk__in=faculty).order_by("pk"))


def _validate(
    batch: Batch,
    *,
    slots: Sequence[Slot],
    quotas: Sequence[QuotaRow],
    faculty: Sequence[Employee],
) -> None:
    """Every rule of a batch with this timetable, quotas and faculty; raises a
    ValidationError listing each problem, and nothing has been written yet."""
    problems = _batch_problems(batch)
    if not problems:
        problems += _timetable_problems(batch, slots)
        problems += _quota_problems(batch, quotas)
        problems += _faculty_problems(slots, faculty)
    if not problems:
        problems += _conflicts(batch, slots)
    if problems:
        raise ValidationError(problems)
    batch.full_clean()


# --- Writing -------------------------------------------------------------------------


def _slots_of(batch: Batch) -> list[Slot]:
    return [
        Slot(s.date, s.starts_at, s.ends_at, s.title, s.faculty)
        for s in batch.sessions.select_related("faculty").order_by("date", "starts_at")
    ]


def _quotas_of(batch: Batch) -> list[QuotaRow]:
    return [
        QuotaRow(q.seats, q.department, q.service_class, q.gender)
        for q in batch.quotas.select_related("department", "service_class")
    ]


def _write_timetable(batch: Batch, slots: Sequence[Slot]) -> None:
    """Keep sessions that stay at the same date and start (their attendance and calendar
    entries stay too), change the rest, add the new, remove the dropped."""
    existing = {(s.date, s.starts_at): s for s in batch.sessions.all()}
    kept = set()
    for slot in slots:
        key = (slot.date, slot.starts_at)
        kept.add(key)
        session = existing.get(key)
        if session is None:
            Session.objects.create(
                batch=batch,
                date=slot.date,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                title=slot.title.strip(),
                faculty=slot.faculty,
            )
            continue
        values = {"ends_at": slot.ends_at, "title": slot.title.strip(), "faculty": slot.faculty}
        if any(getattr(session, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(session, name, value)
            session.save()
    dropped = [s.pk for key, s in existing.items() if key not in kept]
    if dropped:
        Session.objects.filter(pk__in=dropped).delete()
    teaching = {s.faculty.pk for s in slots if s.faculty is not None}
    if teaching:
        batch.faculty.add(*teaching)


def _write_quotas(batch: Batch, quotas: Sequence[QuotaRow]) -> None:
    batch.quotas.all().delete()
    BatchQuota.objects.bulk_create(
        BatchQuota(
            batch=batch,
            seats=row.seats,
            department=row.department,
            service_class=row.service_class,
            gender=row.gender,
        )
        for row in quotas
    )


def _snapshot(batch: Batch) -> dict[str, Any]:
    quotas = sorted(
        f"{q.department.code if q.department else '-'}/"
        f"{q.service_class.code if q.service_class else '-'}/{q.gender or '-'}: {q.seats}"
        for q in batch.quotas.select_related("department", "service_class")
    )
    return {
        "code": batch.code,
        "course": batch.course.code,
        "centre": batch.centre.code,
        "venue": batch.venue.code,
        "starts_on": batch.starts_on.isoformat(),
        "ends_on": batch.ends_on.isoformat(),
        "capacity": batch.capacity,
        "nominations_open_on": batch.nominations_open_on.isoformat(),
        "nominations_close_on": batch.nominations_close_on.isoformat(),
        "language": batch.language,
        "status": batch.status,
        "faculty": sorted(batch.faculty.values_list("pen", flat=True)),
        "sessions": [
            f"{s.date.isoformat()} {_hm(s.starts_at)}-{_hm(s.ends_at)} {s.title}"
            + (f" ({s.faculty.pen})" if s.faculty else "")
            for s in batch.sessions.select_related("faculty").order_by("date", "starts_at")
        ],
        "quotas": quotas,
    }


def _audit_change(
    *, batch: Batch, by: User, action: str, before: dict[str, Any], reason: str = ""
) -> None:
    after = _snapshot(batch)
    changed = [k for k in after if after[k] != before.get(k)]
    if changed:
        audit_record(
            actor=by,
            action=action,
            target=batch,
            before={k: before.get(k) for k in changed},
            after={k: after[k] for k in changed},
            reason=reason,
        )


@transaction.atomic
def batch_create(
    *,
    by: User,
    course: Course,
    code: str,
    centre: Centre,
    venue: Venue,
    starts_on: dt.date,
    ends_on: dt.date,
    capacity: int,
    nominations_open_on: dt.date,
    nominations_close_on: dt.date,
    language: str = "ml",
    sessions: Sequence[SlotLike] = (),
    quotas: Sequence[QuotaRow] = (),
    faculty: Sequence[Employee] = (),
) -> Batch:
    """Schedule a batch of a classroom or blended course of a provider the user manages
    (PermissionDenied otherwise); ValidationError, with nothing written, on any rule or
    conflict."""
    _check_manages(by=by, course=course)
    slots = [Slot(*s) for s in sessions]
    batch = Batch(
        course=course,
        code=code.strip(),
        centre=centre,
        venue=venue,
        starts_on=starts_on,
        ends_on=ends_on,
        capacity=capacity,
        nominations_open_on=nominations_open_on,
        nominations_close_on=nominations_close_on,
        language=language,
    )
    _lock_resources(venue=venue, slots=slots)
    everyone = list(
        {e.pk: e for e in [*faculty, *(s.faculty for s in slots if s.faculty)]}.values()
    )
    _validate(batch, slots=slots, quotas=quotas, faculty=everyone)
    batch.save()
    batch.faculty.set(everyone)
    _write_timetable(batch, slots)
    _write_quotas(batch, quotas)
    audit_record(actor=by, action="batch.created", target=batch, after=_snapshot(batch))
    catalog_changed()  # the catalog's next batch, the course page's batches
    return batch


def batch_update(
    *,
    batch: Batch,
    by: User,
    sessions: Sequence[SlotLike] | None = None,
    quotas: Sequence[QuotaRow] | None = None,
    faculty: Sequence[Employee] | None = None,
    reason: str = "",
    **changes: Any,
) -> Batch:
    """Change a scheduled batch's fields (EDITABLE_FIELDS) and, when given, replace its
    timetable, quotas or faculty, all checked together; PermissionDenied outside the
    user's providers, ValidationError with nothing written on any rule or conflict."""
    return _change(
        batch=batch,
        by=by,
        action="batch.updated",
        sessions=sessions,
        quotas=quotas,
        faculty=faculty,
        reason=reason,
        changes=changes,
    )


@transaction.atomic
def _change(
    *,
    batch: Batch,
    by: User,
    action: str,
    sessions: Sequence[SlotLike] | None = None,
    quotas: Sequence[QuotaRow] | None = None,
    faculty: Sequence[Employee] | None = None,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> Batch:
    changes = changes or {}
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"A batch's {', '.join(sorted(unknown))} cannot be changed here.")
    batch = (
        Batch.objects.select_for_update()
        .select_related("course", "centre", "venue")
        .get(pk=batch.pk)
    )
    _check_manages(by=by, course=batch.course)
    _check_scheduled(batch)
    before = _snapshot(batch)
    for name, value in changes.items():
        setattr(batch, name, value.strip() if name == "code" else value)
    slots = [Slot(*s) for s in sessions] if sessions is not None else _slots_of(batch)
    rows = list(quotas) if quotas is not None else _quotas_of(batch)
    # New teachers on the timetable join the batch's faculty.
    everyone = {e.pk: e for e in (faculty if faculty is not None else batch.faculty.all())}
    if faculty is None:
        everyone |= {s.faculty.pk: s.faculty for s in slots if s.faculty is not None}
    _lock_resources(venue=batch.venue, slots=slots)
    _validate(batch, slots=slots, quotas=rows, faculty=list(everyone.values()))
    batch.save()
    if faculty is not None:
        batch.faculty.set(list(everyone.values()))
    if sessions is not None:
        _write_timetable(batch, slots)
    if quotas is not None:
        _write_quotas(batch, rows)
    _audit_change(batch=batch, by=by, action=action, before=before, reason=reason)
    catalog_changed()  # the catalog's next batch, the course page's batches
    return batch


def batch_timetable_set(*, batch: Batch, by: User, sessions: Sequence[SlotLike]) -> Batch:
    """Replace the batch's sessions (kept where date and start stay the same)."""
    return _change(batch=batch, by=by, action="batch.timetable_set", sessions=sessions)


def batch_quotas_set(*, batch: Batch, by: User, quotas: Sequence[QuotaRow]) -> Batch:
    """Replace the batch's seat quotas (by department, service class, gender)."""
    return _change(batch=batch, by=by, action="batch.quotas_set", quotas=quotas)


def batch_faculty_set(*, batch: Batch, by: User, faculty: Sequence[Employee]) -> Batch:
    """Replace the batch's faculty; whoever teaches one of its sessions must stay."""
    return _change(batch=batch, by=by, action="batch.faculty_set", faculty=faculty)


@transaction.atomic
def batch_cancel(*, batch: Batch, by: User, reason: str) -> Batch:
    """Cancel a scheduled batch and tell everyone with an active nomination. Nominations
    keep their status; each records the cancellation in its history."""
    batch = (
        Batch.objects.select_for_update()
        .select_related("course", "centre", "venue")
        .get(pk=batch.pk)
    )
    _check_manages(by=by, course=batch.course)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the batch is cancelled."))
    _check_scheduled(batch)
    batch.status = Batch.Status.CANCELLED
    batch.save(update_fields=["status", "updated_at"])
    catalog_changed()  # the catalog's next batch, the course page's batches
    active = list(
        Nomination.objects.filter(batch=batch, status__in=Nomination.ACTIVE).select_related(
            "employee__user"
        )
    )
    NominationEvent.objects.bulk_create(
        NominationEvent(
            nomination=n,
            action="batch_cancelled",
            actor=by,
            from_status=n.status,
            to_status=n.status,
            reason=reason[:500],
        )
        for n in active
    )
    audit_record(
        actor=by,
        action="batch.cancelled",
        target=batch,
        before={"status": Batch.Status.SCHEDULED.value},
        after={"status": batch.status, "nominees_told": len(active)},
        reason=reason,
    )
    notify(
        users=[n.employee.user for n in active],
        message=CANCELLED_MESSAGE,
        params={
            "batch": batch.code,
            "course": batch.course,  # str() in each recipient's language
            "starts": _lazy_date(batch.starts_on),
            "reason": reason,
        },
        url=reverse("classroom:calendar-list"),
    )
    return batch
