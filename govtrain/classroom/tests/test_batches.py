"""Scheduling batches: who may, and every rule and conflict refused with nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from govtrain import testing as t
from govtrain.accounts.models import Role
from govtrain.audit.models import AuditEvent
from govtrain.catalog.models import Course
from govtrain.classroom.models import (
    DEFAULT_CHAIN,
    ApprovalPolicy,
    Attendance,
    Batch,
    Nomination,
    NominationEvent,
    Session,
)
from govtrain.classroom.selectors import policy_for
from govtrain.classroom.services.batches import (
    QuotaRow,
    Slot,
    batch_cancel,
    batch_create,
    batch_faculty_set,
    batch_quotas_set,
    batch_timetable_set,
    batch_update,
)
from govtrain.notifications.models import Notification
from govtrain.people.models import Employee

pytestmark = pytest.mark.django_db
START = timezone.localdate() + dt.timedelta(days=40)
TEN, ONE, TWO, FIVE = dt.time(10), dt.time(13), dt.time(14), dt.time(17)


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def plan(**overrides: Any) -> dict[str, Any]:
    """A three-day batch of the IMG RTI course in room SC1 at IMG-TVM."""
    venue = overrides.pop("venue", None) or t.make_venue()
    values: dict[str, Any] = {
        "course": t.make_course(),
        "code": "RTI-NEW",
        "centre": venue.centre,
        "venue": venue,
        "starts_on": START,
        "ends_on": day(2),
        "capacity": 30,
        "nominations_open_on": timezone.localdate(),
        "nominations_close_on": START - dt.timedelta(days=7),
        "language": "ml",
    }
    values.update(overrides)
    return values


def refused(by: Any, **overrides: Any) -> str:
    """Try to schedule; return the refusal's text and check that nothing was written."""
    batches, events = Batch.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refusal:
        batch_create(by=by, **plan(**overrides))
    assert Batch.objects.count() == batches
    assert Session.objects.filter(batch__code="RTI-NEW").count() == 0
    assert AuditEvent.objects.count() == events
    return " ".join(refusal.value.messages)


@pytest.fixture
def teacher(office_a) -> Employee:
    return t.make_employee(office_a, name="Dr. Lekha N.", login=False)


@pytest.fixture
def other_coordinator(office_b) -> Employee:
    employee = t.make_employee(office_b, name="Joseph K.")
    t.grant(employee.user, Role.COORDINATOR, provider=t.make_provider("KILA"))
    return employee


@pytest.fixture
def booked(coordinator: Employee) -> Batch:
    """Another IMG batch in room SC1 on START..START+2, 10:00-13:00 and 14:00-17:00."""
    return t.make_batch(code="RTI-OLD", starts_on=START)


# --- Who may schedule ----------------------------------------------------------------


def test_coordinator_schedules_a_batch_with_timetable_quotas_and_faculty(
    coordinator, teacher, department_a
) -> None:
    batch = batch_create(
        by=coordinator.user,
        **plan(),
        sessions=[(START, TEN, ONE, "RTI basics", teacher), (day(1), TEN, ONE, "Appeals")],
        quotas=[QuotaRow(10, department=department_a), QuotaRow(15, gender="F")],
    )

    assert batch.status == Batch.Status.SCHEDULED
    assert [(s.date, s.title, s.faculty) for s in batch.sessions.all()] == [
        (START, "RTI basics", teacher),
        (day(1), "Appeals", None),
    ]
    assert sorted(q.seats for q in batch.quotas.all()) == [10, 15]
    assert list(batch.faculty.all()) == [teacher]
    event = AuditEvent.objects.get(action="batch.created")
    assert event.actor == coordinator.user
    assert event.after["venue"] == "SC1"
    assert (
        event.after["sessions"][0] == f"{START.isoformat()} 10:00-13:00 RTI basics ({teacher.pen})"
    )


def test_state_admin_schedules_for_any_provider(admin) -> None:
    course = t.make_course("KILA-PLAN", provider=t.make_provider("KILA"))
    venue = t.make_venue(course.provider, centre_code="KILA-TSR")

    batch = batch_create(by=admin, **plan(course=course, venue=venue))

    assert batch.course == course


def test_coordinator_of_another_provider_cannot_schedule_and_nothing_is_written(
    other_coordinator,
) -> None:
    with pytest.raises(PermissionDenied):
        batch_create(by=other_coordinator.user, **plan())

    assert not Batch.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("who", ["officer_a", "learner_a"])
def test_officers_and_learners_cannot_schedule(request, who) -> None:
    employee = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        batch_create(by=employee.user, **plan())

    assert not Batch.objects.exists()


# --- The rules of one batch ----------------------------------------------------------


def test_an_online_course_has_no_batches(coordinator) -> None:
    course = t.make_course("IMG-ONLINE", modality=Course.Modality.ONLINE)

    assert "not a classroom or blended course" in refused(coordinator.user, course=course)


def test_a_blended_course_has_batches(coordinator) -> None:
    course = t.make_course("IMG-BLEND", modality=Course.Modality.BLENDED)

    assert batch_create(by=coordinator.user, **plan(course=course)).course == course


def test_a_room_of_another_centre_is_refused(coordinator) -> None:
    kochi_room = t.make_venue(centre_code="IMG-EKM", code="H1")

    message = refused(coordinator.user, centre=t.make_venue().centre, venue=kochi_room)

    assert "Room H1 is not at Centre IMG-TVM." in message


def test_a_centre_of_another_provider_is_refused(coordinator) -> None:
    kila_room = t.make_venue(t.make_provider("KILA"), centre_code="KILA-TSR")

    assert "belongs to another provider" in refused(coordinator.user, venue=kila_room)


def test_more_seats_than_the_room_has_are_refused(coordinator) -> None:
    message = refused(coordinator.user, capacity=41)

    assert "Room SC1 seats 40; the batch cannot take 41." in message


def test_a_session_outside_the_batch_dates_is_refused(coordinator) -> None:
    message = refused(coordinator.user, sessions=[Slot(day(3), TEN, ONE, "Extra day")])

    assert "is outside the batch's dates" in message


def test_overlapping_sessions_of_one_batch_are_refused(coordinator) -> None:
    sessions = [Slot(START, TEN, ONE, "A"), Slot(START, dt.time(12), TWO, "B")]

    assert "Two sessions on" in refused(coordinator.user, sessions=sessions)


def test_a_session_that_ends_before_it_starts_is_refused(coordinator) -> None:
    assert "ends before it starts" in refused(
        coordinator.user, sessions=[Slot(START, ONE, TEN, "Backwards")]
    )


def test_nominations_must_close_the_policys_lead_time_before_the_start(coordinator) -> None:
    message = refused(coordinator.user, nominations_close_on=START - dt.timedelta(days=6))

    assert "Nominations must close by" in message
    assert "7 days before the batch starts" in message


def test_the_course_policy_lead_time_wins_over_the_providers(coordinator) -> None:
    course = t.make_course()
    ApprovalPolicy.objects.create(provider=course.provider, steps=DEFAULT_CHAIN, lead_days=14)
    ApprovalPolicy.objects.create(course=course, steps=DEFAULT_CHAIN, lead_days=3)

    batch = batch_create(by=coordinator.user, **plan(nominations_close_on=START - dt.timedelta(3)))

    assert batch.nominations_close_on == START - dt.timedelta(days=3)
    assert "3 days before" in refused(coordinator.user, code="X", nominations_close_on=START)


def test_without_a_lead_time_nominations_still_close_before_the_start(coordinator) -> None:
    course = t.make_course()
    ApprovalPolicy.objects.create(course=course, steps=DEFAULT_CHAIN, lead_days=0)

    assert "Nominations must close by" in refused(coordinator.user, nominations_close_on=START)


def test_policy_for_falls_back_from_course_to_provider_to_the_default_chain(db) -> None:
    course = t.make_course()

    assert policy_for(course).lead_days == 7
    assert list(policy_for(course).steps) == DEFAULT_CHAIN
    ApprovalPolicy.objects.create(provider=course.provider, steps=["institute"], lead_days=10)
    assert policy_for(course).steps == ("institute",)
    assert policy_for(course).lead_days == 10
    ApprovalPolicy.objects.create(course=course, steps=DEFAULT_CHAIN, lead_days=2)
    assert policy_for(course).lead_days == 2


def test_quota_rules_are_checked(coordinator, department_a) -> None:
    message = refused(
        coordinator.user,
        quotas=[
            QuotaRow(5),
            QuotaRow(31, department=department_a),
            QuotaRow(3, gender="F"),
            QuotaRow(4, gender="F"),
        ],
    )

    assert "A quota needs a department, a service class or a gender." in message
    assert "must be between 1 and 30 seats" in message
    assert "The quota for F is given twice." in message


# --- Conflicts with other batches ----------------------------------------------------


def test_a_room_booked_by_another_batch_at_the_same_time_is_refused(coordinator, booked) -> None:
    message = refused(coordinator.user, sessions=[Slot(day(1), dt.time(11), dt.time(12), "Clash")])

    assert "Room SC1 is already booked for batch RTI-OLD" in message
    assert "from 10:00 to 13:00" in message


def test_the_same_room_is_free_between_another_batchs_sessions(coordinator, booked) -> None:
    batch = batch_create(
        by=coordinator.user, **plan(sessions=[Slot(START, ONE, TWO, "Lunch talk")])
    )

    assert batch.sessions.count() == 1


def test_without_a_timetable_overlapping_dates_in_the_same_room_are_refused(
    coordinator, booked
) -> None:
    message = refused(coordinator.user, starts_on=day(2), ends_on=day(4))

    assert "Room SC1 is already booked for batch RTI-OLD from" in message


def test_a_cancelled_batch_no_longer_holds_its_room(coordinator, booked) -> None:
    Batch.objects.filter(pk=booked.pk).update(status=Batch.Status.CANCELLED)

    assert batch_create(by=coordinator.user, **plan()).venue == booked.venue


def test_faculty_cannot_teach_in_two_places_at_once(coordinator, teacher, booked) -> None:
    booked.sessions.filter(date=START, starts_at=TEN).update(faculty=teacher)
    other_room = t.make_venue(code="SC2")

    message = refused(
        coordinator.user,
        venue=other_room,
        sessions=[Slot(START, dt.time(12), TWO, "Overlaps RTI-OLD", teacher)],
    )

    assert "Dr. Lekha N. already teaches batch RTI-OLD on" in message
    assert "from 10:00 to 13:00" in message


def test_faculty_may_teach_one_batch_after_another(coordinator, teacher, booked) -> None:
    booked.sessions.filter(date=START, starts_at=TEN).update(faculty=teacher)

    batch = batch_create(
        by=coordinator.user,
        **plan(venue=t.make_venue(code="SC2"), sessions=[Slot(START, ONE, TWO, "Next", teacher)]),
    )

    assert batch.sessions.get().faculty == teacher


# --- Changing a batch ----------------------------------------------------------------


@pytest.fixture
def batch(coordinator) -> Batch:
    return t.make_batch(code="RTI-01", starts_on=START)


def test_dates_and_timetable_move_together_and_the_change_is_audited(coordinator, batch) -> None:
    later = START + dt.timedelta(days=7)

    batch_update(
        batch=batch,
        by=coordinator.user,
        starts_on=later,
        ends_on=later,
        sessions=[Slot(later, TEN, ONE, "One day now")],
        reason="Hall repairs",
    )

    batch.refresh_from_db()
    assert (batch.starts_on, batch.ends_on) == (later, later)
    assert [s.date for s in batch.sessions.all()] == [later]
    event = AuditEvent.objects.get(action="batch.updated")
    assert event.before["starts_on"] == START.isoformat()
    assert event.after["starts_on"] == later.isoformat()
    assert event.after["sessions"] == [f"{later.isoformat()} 10:00-13:00 One day now"]
    assert "capacity" not in (event.after or {})
    assert event.reason == "Hall repairs"


def test_moving_the_dates_away_from_the_timetable_is_refused(coordinator, batch) -> None:
    with pytest.raises(ValidationError, match="outside the batch's dates"):
        batch_update(batch=batch, by=coordinator.user, starts_on=day(1))

    batch.refresh_from_db()
    assert batch.starts_on == START
    assert not AuditEvent.objects.exists()


def test_moving_into_a_booked_room_is_refused_and_nothing_changes(coordinator, batch) -> None:
    elsewhere = t.make_batch(code="RTI-02", starts_on=START, venue=t.make_venue(code="SC2"))

    with pytest.raises(ValidationError, match="already booked for batch RTI-01"):
        batch_update(batch=elsewhere, by=coordinator.user, venue=batch.venue)

    elsewhere.refresh_from_db()
    assert elsewhere.venue.code == "SC2"


def test_capacity_cannot_drop_below_the_confirmed(coordinator, batch, learner_a, officer_a) -> None:
    for employee in (learner_a, officer_a):
        Nomination.objects.create(
            batch=batch, employee=employee, status=Nomination.Status.CONFIRMED, source="request"
        )

    with pytest.raises(ValidationError, match="2 people are already confirmed"):
        batch_update(batch=batch, by=coordinator.user, capacity=1)


def test_timetable_keeps_sessions_whose_start_stays(coordinator, batch, teacher) -> None:
    first = batch.sessions.get(date=START, starts_at=TEN)

    batch_timetable_set(
        batch=batch,
        by=coordinator.user,
        sessions=[Slot(START, TEN, dt.time(12), "Shorter", teacher), Slot(day(1), TEN, ONE, "B")],
    )

    assert batch.sessions.count() == 2
    kept = batch.sessions.get(date=START)
    assert (kept.pk, kept.ends_at, kept.title, kept.faculty) == (
        first.pk,
        dt.time(12),
        "Shorter",
        teacher,
    )
    assert teacher in batch.faculty.all()
    assert AuditEvent.objects.get().action == "batch.timetable_set"


def test_a_session_with_attendance_cannot_be_dropped(coordinator, batch, learner_a) -> None:
    marked = batch.sessions.get(date=START, starts_at=TEN)
    Attendance.objects.create(session=marked, employee=learner_a, status="present", minutes=180)

    with pytest.raises(ValidationError, match="Attendance was marked"):
        batch_timetable_set(batch=batch, by=coordinator.user, sessions=[])

    assert batch.sessions.count() == 6


def test_quotas_are_replaced(coordinator, batch, department_a) -> None:
    batch_quotas_set(batch=batch, by=coordinator.user, quotas=[QuotaRow(5, gender="F")])
    batch_quotas_set(batch=batch, by=coordinator.user, quotas=[QuotaRow(8, department_a)])

    assert [(q.department, q.gender, q.seats) for q in batch.quotas.all()] == [
        (department_a, "", 8)
    ]
    assert AuditEvent.objects.filter(action="batch.quotas_set").count() == 2


def test_faculty_who_teach_a_session_stay_on_the_batch(coordinator, batch, teacher) -> None:
    batch.sessions.filter(date=START, starts_at=TEN).update(faculty=teacher)
    batch.faculty.add(teacher)

    with pytest.raises(ValidationError, match="teaches sessions of this batch"):
        batch_faculty_set(batch=batch, by=coordinator.user, faculty=[])

    guest = t.make_employee(teacher.office, name="Guest", login=False)
    batch_faculty_set(batch=batch, by=coordinator.user, faculty=[teacher, guest])
    assert set(batch.faculty.all()) == {teacher, guest}


def test_coordinator_of_another_provider_cannot_change_a_batch(other_coordinator, batch) -> None:
    with pytest.raises(PermissionDenied):
        batch_update(batch=batch, by=other_coordinator.user, capacity=10)
    with pytest.raises(PermissionDenied):
        batch_cancel(batch=batch, by=other_coordinator.user, reason="Not mine")

    batch.refresh_from_db()
    assert (batch.capacity, batch.status) == (30, Batch.Status.SCHEDULED)


# --- Cancelling ----------------------------------------------------------------------


def test_cancelling_tells_everyone_with_an_active_nomination(
    coordinator, batch, learner_a, learner_b, officer_a
) -> None:
    for employee, status in [
        (learner_a, Nomination.Status.CONFIRMED),
        (learner_b, Nomination.Status.REQUESTED),
        (officer_a, Nomination.Status.WITHDRAWN),
    ]:
        Nomination.objects.create(batch=batch, employee=employee, status=status, source="request")

    batch_cancel(batch=batch, by=coordinator.user, reason="Flood warning")

    batch.refresh_from_db()
    assert batch.status == Batch.Status.CANCELLED
    told = set(Notification.objects.values_list("user", flat=True))
    assert told == {learner_a.user.pk, learner_b.user.pk}
    message = Notification.objects.get(user=learner_a.user).message
    assert "RTI-01" in message
    assert "Flood warning" in message
    # Nominations keep their status; their history records the cancellation.
    assert set(Nomination.objects.values_list("status", flat=True)) == {
        "confirmed",
        "requested",
        "withdrawn",
    }
    assert NominationEvent.objects.filter(action="batch_cancelled").count() == 2
    event = AuditEvent.objects.get(action="batch.cancelled")
    assert (event.reason, event.after["nominees_told"]) == ("Flood warning", 2)


def test_cancelling_needs_a_reason_and_a_cancelled_batch_stays_cancelled(
    coordinator, batch
) -> None:
    with pytest.raises(ValidationError, match="Say why"):
        batch_cancel(batch=batch, by=coordinator.user, reason="  ")
    batch_cancel(batch=batch, by=coordinator.user, reason="No hall")

    with pytest.raises(ValidationError, match="can no longer be changed"):
        batch_update(batch=batch, by=coordinator.user, capacity=10)
    with pytest.raises(ValidationError, match="can no longer be changed"):
        batch_cancel(batch=batch, by=coordinator.user, reason="Again")
