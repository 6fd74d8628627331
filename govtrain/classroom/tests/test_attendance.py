"""Faculty mark a whole session at once; later changes are corrections, audited."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from govtrain import testing as t
from govtrain.accounts.models import Role
from govtrain.audit.models import AuditEvent
from govtrain.classroom.models import Attendance, Batch, Session
from govtrain.classroom.services.attendance import attendance_mark
from govtrain.people.models import Employee
from govtrain.records.services import enrolment_open, enrolment_withdraw

pytestmark = pytest.mark.django_db
P, L, PART, A, E = "present", "late", "partial", "absent", "excused"


def past_batch(code: str = "RTI-01", days_ago: int = 7, **fields) -> Batch:
    starts = timezone.localdate() - dt.timedelta(days=days_ago)
    return t.make_batch(
        code=code,
        starts_on=starts,
        nominations_open_on=starts - dt.timedelta(days=30),
        nominations_close_on=starts - dt.timedelta(days=7),
        **fields,
    )


@pytest.fixture
def batch(db) -> Batch:
    """RTI-01 ran last week: three days of two three-hour sessions."""
    return past_batch()


@pytest.fixture
def session(batch: Batch) -> Session:
    return batch.sessions.order_by("date", "starts_at")[0]


@pytest.fixture
def faculty(office_a, batch) -> Employee:
    person = t.make_employee(office_a, name="Deepa R.", name_ml="ദീപ ആർ.")
    batch.faculty.add(person)
    return person


@pytest.fixture
def participants(batch, learner_a, office_a) -> list[Employee]:
    people = [
        learner_a,
        t.make_employee(office_a, name="Binu T."),
        t.make_employee(office_a, name="Chitra P."),
    ]
    for person in people:
        enrolment_open(employee=person, batch=batch)
    return people


@pytest.fixture
def other_faculty(office_a) -> Employee:
    """Teaches RTI-02, not RTI-01."""
    person = t.make_employee(office_a, name="Faisal M.")
    past_batch("RTI-02").faculty.add(person)
    return person


@pytest.fixture
def other_coordinator(office_a) -> Employee:
    """Coordinates KILA's courses, not IMG's."""
    person = t.make_employee(office_a, name="Kavya N.")
    t.grant(person.user, Role.COORDINATOR, provider=t.make_provider("KILA"))
    return person


def marks_of(session: Session) -> dict[int, tuple[str, int]]:
    return {
        a.employee_id: (a.status, a.minutes) for a in Attendance.objects.filter(session=session)
    }


# --- The service ----------------------------------------------------------------------


def test_faculty_marks_the_whole_session_at_once_with_minutes_that_follow_the_status(
    faculty, session, participants
) -> None:
    anitha, binu, third = participants

    result = attendance_mark(
        session=session,
        marks={anitha.pk: (P, None), binu.pk: (L, None), third.pk: (PART, 90)},
        by=faculty.user,
    )

    assert (result.created, result.corrected, result.unchanged) == (3, 0, 0)
    assert marks_of(session) == {anitha.pk: (P, 180), binu.pk: (L, 165), third.pk: (PART, 90)}
    assert {a.marked_by for a in Attendance.objects.all()} == {faculty.user}
    event = AuditEvent.objects.get()
    assert event.action == "attendance.marked"
    assert event.after == {"marked": 3, "late": 1, "partial": 1, "present": 1}


def test_late_by_gives_late_arrivals_their_minutes_unless_they_have_their_own(
    faculty, session, participants
) -> None:
    anitha, binu, _ = participants

    attendance_mark(
        session=session,
        marks={anitha.pk: (L, None), binu.pk: (L, 150)},
        by=faculty.user,
        late_by=40,
    )

    assert marks_of(session) == {anitha.pk: (L, 140), binu.pk: (L, 150)}


def test_late_arrivals_cannot_miss_the_whole_session(faculty, session, participants) -> None:
    with pytest.raises(ValidationError) as error:
        attendance_mark(
            session=session, marks={participants[0].pk: (L, None)}, by=faculty.user, late_by=180
        )

    assert "late_by" in error.value.message_dict
    assert not Attendance.objects.exists()


def test_absent_and_excused_count_no_minutes(faculty, session, participants) -> None:
    anitha, binu, _ = participants

    attendance_mark(session=session, marks={anitha.pk: (A, None), binu.pk: (E, 0)}, by=faculty.user)

    assert marks_of(session) == {anitha.pk: (A, 0), binu.pk: (E, 0)}


def test_a_correction_is_audited_with_the_values_before_and_after_and_who_made_it(
    faculty, coordinator, session, participants
) -> None:
    anitha, binu, _ = participants
    attendance_mark(
        session=session, marks={anitha.pk: (A, None), binu.pk: (P, None)}, by=faculty.user
    )

    result = attendance_mark(
        session=session,
        marks={anitha.pk: (PART, 120), binu.pk: (P, None)},
        by=coordinator.user,
        reason="She came after the tea break",
    )

    assert (result.created, result.corrected, result.unchanged) == (0, 1, 1)
    mark = Attendance.objects.get(session=session, employee=anitha)
    assert (mark.status, mark.minutes, mark.marked_by) == (PART, 120, coordinator.user)
    event = AuditEvent.objects.get(action="attendance.corrected")
    assert event.actor == coordinator.user
    assert event.target_id == str(mark.pk)
    assert event.before == {"status": A, "minutes": 0}
    assert event.after == {"status": PART, "minutes": 120}
    assert event.reason == "She came after the tea break"


def test_submitting_the_same_marks_again_writes_nothing(faculty, session, participants) -> None:
    marks = {p.pk: (P, None) for p in participants}
    attendance_mark(session=session, marks=marks, by=faculty.user)
    events = AuditEvent.objects.count()

    with CaptureQueriesContext(connection) as queries:
        result = attendance_mark(session=session, marks=marks, by=faculty.user)

    assert (result.created, result.corrected, result.unchanged) == (0, 0, 3)
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert AuditEvent.objects.count() == events


def test_marking_takes_the_same_queries_whatever_the_batch_size(
    faculty, session, participants, office_a
) -> None:
    for i in range(30):
        enrolment_open(employee=t.make_employee(office_a, name=f"Extra {i}"), batch=session.batch)
    everyone = list(session.batch.enrolments.values_list("employee_id", flat=True))

    with CaptureQueriesContext(connection) as first:
        attendance_mark(session=session, marks=dict.fromkeys(everyone, (P, None)), by=faculty.user)
    with CaptureQueriesContext(connection) as correction:
        attendance_mark(session=session, marks=dict.fromkeys(everyone, (A, None)), by=faculty.user)

    reads = [
        q for q in first if q["sql"].startswith("SELECT") and "classroom_attendance" in q["sql"]
    ]
    assert len(reads) == 1
    assert len(first) < 15  # no query per person
    # Correcting everyone: one bulk update and one insert of an audit event per mark.
    assert len(correction) < 15
    assert AuditEvent.objects.filter(action="attendance.corrected").count() == len(everyone)


def test_only_participants_can_be_marked_and_nothing_is_written_otherwise(
    faculty, session, participants, learner_b
) -> None:
    anitha, binu, _ = participants
    enrolment_withdraw(employee=binu, batch=session.batch)

    for outsider in (learner_b, binu):
        with pytest.raises(ValidationError, match="not participants"):
            attendance_mark(
                session=session,
                marks={anitha.pk: (P, None), outsider.pk: (P, None)},
                by=faculty.user,
            )

    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("status", "minutes", "message"),
    [
        (PART, None, "Enter the minutes"),
        (PART, 200, "between 0 and 180"),
        (PART, 180, "less than 180"),
        (P, 100, "whole session"),
        (A, 10, "no minutes"),
        (L, 180, "less than 180"),
        ("asleep", None, "Choose present"),
    ],
)
def test_minutes_must_fit_the_status_and_the_session(
    faculty, session, participants, status, minutes, message
) -> None:
    anitha, binu, _ = participants

    with pytest.raises(ValidationError) as error:
        attendance_mark(
            session=session,
            marks={binu.pk: (P, None), anitha.pk: (status, minutes)},
            by=faculty.user,
        )

    assert message in " ".join(error.value.message_dict[str(anitha.pk)])
    assert not Attendance.objects.exists()


def test_a_session_after_today_cannot_be_marked_yet(faculty, participants, office_a) -> None:
    batch = past_batch("RTI-03", days_ago=1, days=3)
    enrolment_open(employee=participants[0], batch=batch)
    batch.faculty.add(faculty)
    tomorrow = batch.sessions.filter(date=timezone.localdate() + dt.timedelta(days=1)).first()

    with pytest.raises(ValidationError, match="from its day on"):
        attendance_mark(session=tomorrow, marks={participants[0].pk: (P, None)}, by=faculty.user)


def test_a_cancelled_batch_has_no_attendance(faculty, session, participants) -> None:
    Batch.objects.filter(pk=session.batch_id).update(status=Batch.Status.CANCELLED)

    with pytest.raises(ValidationError, match="cancelled"):
        attendance_mark(session=session, marks={participants[0].pk: (P, None)}, by=faculty.user)


def test_whoever_teaches_one_session_may_mark_the_batch(session, participants, office_a) -> None:
    guest = t.make_employee(office_a, name="Guest Lecturer")
    Session.objects.filter(pk=session.pk).update(faculty=guest)

    attendance_mark(session=session, marks={participants[0].pk: (P, None)}, by=guest.user)

    assert Attendance.objects.get().marked_by == guest.user


def test_state_administrator_may_mark_any_batch(admin, session, participants) -> None:
    attendance_mark(session=session, marks={participants[0].pk: (P, None)}, by=admin)

    assert Attendance.objects.count() == 1


@pytest.mark.parametrize("who", ["other_faculty", "other_coordinator", "officer_a", "learner_a"])
def test_nobody_else_may_mark_attendance(request, who, session, participants) -> None:
    person = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        attendance_mark(session=session, marks={participants[0].pk: (P, None)}, by=person.user)

    assert not Attendance.objects.exists()


# --- The sheet ------------------------------------------------------------------------


def sheet_url(session: Session) -> str:
    return f"{reverse('classroom:attendance-sheet', args=[session.batch_id])}?session={session.pk}"


def sheet_post(
    session: Session, marks: dict[int, tuple[str, int | None]], **extra
) -> dict[str, object]:
    data = {"session": session.pk, "late_by": 15, "reason": "", **extra}
    for pk, (status, minutes) in marks.items():
        data[f"status_{pk}"] = status
        data[f"minutes_{pk}"] = "" if minutes is None else minutes
    return data


def test_faculty_opens_the_sheet_with_everyone_present_and_saves_it_in_one_submit(
    client, faculty, session, participants
) -> None:
    anitha, binu, third = participants
    client.force_login(faculty.user)

    page = client.get(sheet_url(session))

    assert page.status_code == 200
    html = page.content.decode()
    assert len(re.findall(r'value="present"[^>]* checked', html)) == 3
    assert "Not marked yet." in html
    assert "<legend>Anitha K." in html

    response = client.post(
        sheet_url(session),
        sheet_post(session, {anitha.pk: (P, None), binu.pk: (PART, 60), third.pk: (A, 45)}),
    )

    assert response.status_code == 302
    # Minutes typed for someone absent are ignored: only late and partly present take them.
    assert marks_of(session) == {anitha.pk: (P, 180), binu.pk: (PART, 60), third.pk: (A, 0)}
    page = client.get(response["Location"]).content.decode()
    assert "Attendance saved: 3 new marks, 0 corrections." in page
    assert "3 of 3 marked by Deepa R." in page


def test_the_sheet_shows_the_correction_history(
    client, faculty, coordinator, session, participants
) -> None:
    anitha = participants[0]
    attendance_mark(session=session, marks={anitha.pk: (A, None)}, by=faculty.user)
    attendance_mark(
        session=session,
        marks={anitha.pk: (P, None)},
        by=coordinator.user,
        reason="Signed the register",
    )
    client.force_login(faculty.user)

    html = client.get(sheet_url(session)).content.decode()

    assert "Arun V. changed Anitha K. from Absent, 0 min to Present, 180 min." in html
    assert "Signed the register" in html


def test_partly_present_without_minutes_is_sent_back_with_the_error_beside_the_person(
    client, faculty, session, participants
) -> None:
    anitha, binu, third = participants
    client.force_login(faculty.user)

    response = client.post(
        sheet_url(session),
        sheet_post(session, {anitha.pk: (P, None), binu.pk: (PART, None), third.pk: (P, None)}),
    )

    assert response.status_code == 400
    assert f'id="id_minutes_{binu.pk}_error"' in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_sheet_takes_the_same_number_of_queries_for_three_or_thirty_participants(
    client, faculty, coordinator, session, participants, office_a, django_assert_num_queries
) -> None:
    attendance_mark(session=session, marks={participants[0].pk: (A, None)}, by=faculty.user)
    attendance_mark(session=session, marks={participants[0].pk: (P, None)}, by=coordinator.user)
    client.force_login(faculty.user)
    client.get(sheet_url(session))  # the session and the user are cached from here on
    with CaptureQueriesContext(connection) as small:
        client.get(sheet_url(session))
    for i in range(27):
        enrolment_open(employee=t.make_employee(office_a, name=f"Extra {i}"), batch=session.batch)

    with django_assert_num_queries(len(small)):
        response = client.get(sheet_url(session))

    assert response.content.decode().count('type="radio"') == 30 * 5


def test_a_session_after_today_shows_a_read_only_sheet(client, faculty, participants) -> None:
    batch = past_batch("RTI-04", days_ago=0, days=2)
    batch.faculty.add(faculty)
    enrolment_open(employee=participants[0], batch=batch)
    tomorrow = batch.sessions.order_by("-date").first()
    client.force_login(faculty.user)

    html = client.get(sheet_url(tomorrow)).content.decode()

    assert "Attendance can be marked from the day of the session" in html
    assert "Save attendance" not in html
    assert client.post(sheet_url(tomorrow), sheet_post(tomorrow, {})).status_code == 404


@pytest.mark.parametrize("who", ["other_faculty", "other_coordinator", "officer_a", "learner_a"])
def test_the_sheet_does_not_exist_for_anyone_else(
    request, client, who, session, participants
) -> None:
    client.force_login(request.getfixturevalue(who).user)

    assert client.get(sheet_url(session)).status_code == 404
    post = client.post(sheet_url(session), sheet_post(session, {participants[0].pk: (P, None)}))
    assert post.status_code == 404
    assert not Attendance.objects.exists()


def test_a_session_of_another_batch_is_not_found_on_this_sheet(client, faculty, session) -> None:
    stranger = past_batch("RTI-05").sessions.first()
    client.force_login(faculty.user)

    url = f"{reverse('classroom:attendance-sheet', args=[session.batch_id])}?session={stranger.pk}"

    assert client.get(url).status_code == 404


def test_the_batch_page_links_each_session_feedback_and_completion(batch, rf) -> None:
    html = render_to_string(
        "classroom/_batch_attendance_links.html",
        {"batch": batch, "can_manage": True, "sessions": list(batch.sessions.all())},
        request=rf.get("/"),
    )

    assert html.count(reverse("classroom:attendance-sheet", args=[batch.pk])) == 6
    assert reverse("classroom:feedback-summary", args=[batch.pk]) in html
    assert reverse("classroom:batch-complete", args=[batch.pk]) in html
