"""Closing a batch: attendance at or above the course's share completes it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from govtrain import testing as t
from govtrain.accounts.models import Role
from govtrain.audit.models import AuditEvent
from govtrain.certificates.models import Certificate
from govtrain.classroom.models import Batch, Session
from govtrain.classroom.services.attendance import attendance_mark
from govtrain.classroom.services.completion import batch_complete
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment
from govtrain.records.services import enrolment_open, enrolment_withdraw

pytestmark = pytest.mark.django_db
S = Enrolment.Status


def past_batch(code: str = "RTI-01", days_ago: int = 7, days: int = 3) -> Batch:
    starts = timezone.localdate() - dt.timedelta(days=days_ago)
    return t.make_batch(
        code=code,
        starts_on=starts,
        days=days,
        nominations_open_on=starts - dt.timedelta(days=30),
        nominations_close_on=starts - dt.timedelta(days=7),
    )


@pytest.fixture
def batch(db) -> Batch:
    """Six three-hour sessions: 1,080 minutes, of which 80% is 864."""
    return past_batch()


@pytest.fixture
def faculty(office_a, batch) -> Employee:
    person = t.make_employee(office_a, name="Deepa R.")
    batch.faculty.add(person)
    return person


@pytest.fixture
def anitha(batch: Batch, learner_a: Employee) -> Employee:
    enrolment_open(employee=learner_a, batch=batch)
    return learner_a


@pytest.fixture
def binu(batch, office_a) -> Employee:
    person = t.make_employee(office_a, name="Binu T.")
    enrolment_open(employee=person, batch=batch)
    return person


def sessions(batch: Batch) -> list[Session]:
    return list(batch.sessions.order_by("date", "starts_at"))


def attend(batch: Batch, by, minutes: dict[Employee, list[int]]) -> None:
    """Mark each session from each person's list of minutes (180 present, 0 absent)."""
    for i, session in enumerate(sessions(batch)):
        marks = {}
        for person, per_session in minutes.items():
            m = per_session[i]
            marks[person.pk] = (
                ("present", None)
                if m == 180
                else ("absent", None)
                if m == 0
                else (
                    "partial",
                    m,
                )
            )
        attendance_mark(session=session, marks=marks, by=by)


def enrolment(batch: Batch, person: Employee) -> Enrolment:
    return Enrolment.objects.get(batch=batch, employee=person)


def test_exactly_eighty_percent_completes_and_a_minute_less_does_not(
    coordinator, faculty, batch, anitha, binu
) -> None:
    attend(
        batch,
        faculty.user,
        {anitha: [180, 180, 180, 180, 144, 0], binu: [180, 180, 180, 180, 143, 0]},
    )

    outcomes = batch_complete(batch=batch, by=coordinator.user)

    assert (outcomes.completed, outcomes.not_completed) == (1, 1)
    done = enrolment(batch, anitha)
    assert done.status == S.COMPLETED
    assert done.completed_on == batch.ends_on
    assert done.hours_credited == batch.course.hours
    assert done.attendance_percent == Decimal("80.0")
    missed = enrolment(batch, binu)
    assert (missed.status, missed.completed_on, missed.hours_credited) == (
        S.NOT_COMPLETED,
        None,
        Decimal(0),
    )
    # Rounded down: 79.907...% is shown as 79.9, never as a misleading 80.0.
    assert missed.attendance_percent == Decimal("79.9")
    batch.refresh_from_db()
    assert batch.status == Batch.Status.CLOSED


def test_closing_is_audited_for_the_batch_and_each_enrolment(
    coordinator, faculty, batch, anitha, binu
) -> None:
    attend(batch, faculty.user, {anitha: [180] * 6, binu: [0] * 6})

    batch_complete(batch=batch, by=coordinator.user)

    closed = AuditEvent.objects.get(action="batch.closed")
    assert closed.actor == coordinator.user
    assert closed.after == {"status": "closed", "completed": 1, "not_completed": 1, "changed": 2}
    completed = AuditEvent.objects.get(action="enrolment.completed")
    assert completed.target_id == str(enrolment(batch, anitha).pk)
    assert completed.after["hours_credited"] == "12.0"
    assert AuditEvent.objects.filter(action="enrolment.not_completed").count() == 1


def test_running_it_again_after_a_correction_recomputes_and_otherwise_writes_nothing(
    coordinator, faculty, batch, anitha, binu
) -> None:
    attend(batch, faculty.user, {anitha: [180] * 6, binu: [180, 180, 180, 180, 143, 0]})
    batch_complete(batch=batch, by=coordinator.user)

    with CaptureQueriesContext(connection) as again:
        batch_complete(batch=batch, by=coordinator.user)
    writes = [q["sql"] for q in again if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []

    attendance_mark(
        session=sessions(batch)[4],
        marks={binu.pk: ("partial", 144)},
        by=coordinator.user,
        reason="Register",
    )
    outcomes = batch_complete(batch=batch, by=coordinator.user)

    assert (outcomes.completed, outcomes.not_completed, outcomes.changed) == (2, 0, 1)
    assert enrolment(batch, binu).status == S.COMPLETED
    recomputed = AuditEvent.objects.get(action="batch.completions_recomputed")
    assert recomputed.after["changed"] == 1


def test_a_correction_can_take_a_completion_away_again(coordinator, faculty, batch, anitha) -> None:
    attend(batch, faculty.user, {anitha: [180] * 6})
    batch_complete(batch=batch, by=coordinator.user)

    for session in sessions(batch)[:2]:
        attendance_mark(session=session, marks={anitha.pk: ("absent", None)}, by=coordinator.user)
    batch_complete(batch=batch, by=coordinator.user)

    done = enrolment(batch, anitha)
    assert (done.status, done.completed_on, done.hours_credited) == (
        S.NOT_COMPLETED,
        None,
        Decimal(0),
    )
    assert done.attendance_percent == Decimal("66.6")


def test_unmarked_participants_count_as_absent_and_withdrawn_ones_are_left_alone(
    coordinator, faculty, batch, anitha, binu, office_a
) -> None:
    late_joiner = t.make_employee(office_a, name="Chitra P.")
    attend(batch, faculty.user, {anitha: [180] * 6, binu: [180] * 6})
    enrolment_open(employee=late_joiner, batch=batch)
    enrolment_withdraw(employee=binu, batch=batch)

    batch_complete(batch=batch, by=coordinator.user)

    assert enrolment(batch, late_joiner).status == S.NOT_COMPLETED
    assert enrolment(batch, late_joiner).attendance_percent == Decimal("0.0")
    assert enrolment(batch, binu).status == S.WITHDRAWN


def test_the_threshold_is_the_courses(coordinator, faculty, batch, anitha) -> None:
    type(batch.course).objects.filter(pk=batch.course_id).update(completion_attendance_percent=50)
    attend(batch, faculty.user, {anitha: [180, 180, 180, 0, 0, 0]})

    batch_complete(batch=batch, by=coordinator.user)

    assert enrolment(batch, anitha).status == S.COMPLETED


def test_a_batch_closes_only_from_its_last_day(coordinator, faculty, learner_a) -> None:
    running = past_batch("RTI-02", days_ago=1, days=3)

    with pytest.raises(ValidationError, match="from the last day"):
        batch_complete(batch=running, by=coordinator.user)


def test_every_session_must_be_marked_first(coordinator, faculty, batch, anitha) -> None:
    attendance_mark(
        session=sessions(batch)[0], marks={anitha.pk: ("present", None)}, by=faculty.user
    )

    with pytest.raises(ValidationError, match="not yet marked"):
        batch_complete(batch=batch, by=coordinator.user)

    assert enrolment(batch, anitha).status == S.ENROLLED


def test_a_cancelled_batch_cannot_be_closed(coordinator, batch) -> None:
    Batch.objects.filter(pk=batch.pk).update(status=Batch.Status.CANCELLED)

    with pytest.raises(ValidationError, match="cancelled"):
        batch_complete(batch=batch, by=coordinator.user)


@pytest.fixture
def other_coordinator(office_a) -> Employee:
    person = t.make_employee(office_a, name="Kavya N.")
    t.grant(person.user, Role.COORDINATOR, provider=t.make_provider("KILA"))
    return person


@pytest.mark.parametrize("who", ["faculty", "other_coordinator", "officer_a", "learner_a"])
def test_only_coordinators_and_administrators_close_a_batch(
    request, who, faculty, batch, anitha
) -> None:
    attend(batch, faculty.user, {anitha: [180] * 6})

    with pytest.raises(PermissionDenied):
        batch_complete(batch=batch, by=request.getfixturevalue(who).user)

    assert enrolment(batch, anitha).status == S.ENROLLED


def test_state_administrator_closes_a_batch(admin, faculty, batch, anitha) -> None:
    attend(batch, faculty.user, {anitha: [180] * 6})

    batch_complete(batch=batch, by=admin)

    assert enrolment(batch, anitha).status == S.COMPLETED


def test_coordinator_closes_the_batch_from_the_attendance_page(
    client, coordinator, faculty, batch, anitha
) -> None:
    attend(batch, faculty.user, {anitha: [180] * 6})
    client.force_login(coordinator.user)

    response = client.post(reverse("classroom:batch-complete", args=[batch.pk]), follow=True)

    assert "The batch is closed: 1 completed, 0 did not complete." in response.content.decode()
    assert "Outcomes recorded" in response.content.decode()
    assert enrolment(batch, anitha).status == S.COMPLETED


def test_the_page_explains_why_a_batch_cannot_be_closed_yet(
    client, coordinator, batch, anitha
) -> None:
    client.force_login(coordinator.user)

    response = client.post(reverse("classroom:batch-complete", args=[batch.pk]), follow=True)

    assert "Mark attendance of every session first" in response.content.decode()
    assert enrolment(batch, anitha).status == S.ENROLLED


def test_faculty_may_not_close_the_batch_and_outsiders_do_not_find_it(
    client, faculty, other_coordinator, officer_a, batch, anitha
) -> None:
    attend(batch, faculty.user, {anitha: [180] * 6})
    url = reverse("classroom:batch-complete", args=[batch.pk])

    client.force_login(faculty.user)
    assert client.post(url).status_code == 403
    for outsider in (other_coordinator, officer_a, anitha):
        client.force_login(outsider.user)
        assert client.post(url).status_code == 404

    assert enrolment(batch, anitha).status == S.ENROLLED


def test_a_completion_gets_its_certificate_and_a_correction_undoing_it_revokes_it(
    coordinator, faculty, batch, anitha, binu, django_capture_on_commit_callbacks
) -> None:
    attend(batch, faculty.user, {anitha: [180] * 6, binu: [180, 180, 180, 180, 143, 0]})
    with django_capture_on_commit_callbacks(execute=True):
        batch_complete(batch=batch, by=coordinator.user)

    certificate = Certificate.objects.get()  # Anitha's; Binu missed the threshold
    assert certificate.enrolment == enrolment(batch, anitha)
    assert not certificate.is_revoked

    for session in sessions(batch)[:2]:
        attendance_mark(session=session, marks={anitha.pk: ("absent", None)}, by=coordinator.user)
    with django_capture_on_commit_callbacks(execute=True):
        batch_complete(batch=batch, by=coordinator.user)

    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert certificate.revoked_reason == (
        "The completion it certified was withdrawn after a correction."
    )
    assert Certificate.objects.count() == 1
