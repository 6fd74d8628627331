"""Attendance, feedback and the training record over the API, scoped like the pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from govtrain import testing as t
from govtrain.accounts.models import Role
from govtrain.audit.models import AuditEvent
from govtrain.classroom.models import Attendance, Batch, FeedbackQuestion, FeedbackResponse, Session
from govtrain.classroom.services.feedback import feedback_form_for
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment
from govtrain.records.services import enrolment_open

pytestmark = pytest.mark.django_db
K = FeedbackQuestion.Kind


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def as_user(api: APIClient, user) -> APIClient:
    api.force_authenticate(getattr(user, "user", None) or user)
    return api


@pytest.fixture
def batch(db) -> Batch:
    starts = timezone.localdate() - dt.timedelta(days=7)
    return t.make_batch(
        starts_on=starts,
        nominations_open_on=starts - dt.timedelta(days=30),
        nominations_close_on=starts - dt.timedelta(days=7),
    )


@pytest.fixture
def session(batch: Batch) -> Session:
    return batch.sessions.order_by("date", "starts_at")[0]


@pytest.fixture
def faculty(office_a, batch) -> Employee:
    person = t.make_employee(office_a, name="Deepa R.")
    batch.faculty.add(person)
    return person


@pytest.fixture
def participants(batch, learner_a, office_a) -> list[Employee]:
    people = [learner_a, t.make_employee(office_a, name="Binu T.")]
    for person in people:
        enrolment_open(employee=person, batch=batch)
    return people


@pytest.fixture
def other_coordinator(office_a) -> Employee:
    person = t.make_employee(office_a, name="Kavya N.")
    t.grant(person.user, Role.COORDINATOR, provider=t.make_provider("KILA"))
    return person


def url(session: Session) -> str:
    return f"/api/v1/sessions/{session.pk}/attendance/"


# --- Attendance -----------------------------------------------------------------------


def test_faculty_marks_a_session_by_pen_and_reads_it_back(
    api, faculty, session, participants
) -> None:
    anitha, binu = participants
    client = as_user(api, faculty)

    response = client.post(
        url(session),
        {
            "marks": [
                {"employee": anitha.pen, "status": "present"},
                {"employee": binu.pen, "status": "partial", "minutes": 100},
            ]
        },
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {"created": 2, "corrected": 0, "unchanged": 0}
    body = client.get(url(session)).json()
    assert body["minutes"] == 180
    assert {m["employee"]: (m["status"], m["minutes"]) for m in body["marks"]} == {
        anitha.pen: ("present", 180),
        binu.pen: ("partial", 100),
    }
    assert body["marks"][0]["marked_by"] == faculty.user.username


def test_a_correction_through_the_api_is_audited_and_a_resubmit_changes_nothing(
    api, faculty, coordinator, session, participants
) -> None:
    anitha = participants[0]
    as_user(api, faculty).post(
        url(session), {"marks": [{"employee": anitha.pen, "status": "absent"}]}, format="json"
    )

    body = {"marks": [{"employee": anitha.pen, "status": "late"}], "late_by": 30, "reason": "Bus"}
    first = as_user(api, coordinator).post(url(session), body, format="json")
    again = as_user(api, coordinator).post(url(session), body, format="json")

    assert first.json() == {"created": 0, "corrected": 1, "unchanged": 0}
    assert again.json() == {"created": 0, "corrected": 0, "unchanged": 1}
    event = AuditEvent.objects.get(action="attendance.corrected")
    assert (event.before, event.after, event.reason) == (
        {"status": "absent", "minutes": 0},
        {"status": "late", "minutes": 150},
        "Bus",
    )


def test_someone_not_in_the_batch_and_bad_minutes_are_refused_by_pen(
    api, faculty, session, participants, learner_b
) -> None:
    client = as_user(api, faculty)

    outsider = client.post(
        url(session), {"marks": [{"employee": learner_b.pen, "status": "present"}]}, format="json"
    )
    bad = client.post(
        url(session),
        {"marks": [{"employee": participants[1].pen, "status": "partial"}]},
        format="json",
    )

    assert outsider.status_code == 400
    assert learner_b.pen in str(outsider.json())
    assert bad.status_code == 400
    assert "Enter the minutes" in bad.json()[participants[1].pen][0]
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("who", ["other_coordinator", "officer_a", "learner_a"])
def test_a_session_outside_the_callers_batches_does_not_exist(
    api, request, who, session, participants
) -> None:
    client = as_user(api, request.getfixturevalue(who))

    assert client.get(url(session)).status_code == 404
    marks = {"marks": [{"employee": participants[0].pen, "status": "present"}]}
    assert client.post(url(session), marks, format="json").status_code == 404
    assert not Attendance.objects.exists()


def test_without_credentials_nothing_is_served(api, session) -> None:
    assert api.get(url(session)).status_code in (401, 403)


# --- Feedback -------------------------------------------------------------------------


def test_participant_reads_the_questions_and_answers_once(
    api, batch, faculty, participants
) -> None:
    client = as_user(api, participants[0])
    feedback_url = f"/api/v1/batches/{batch.code}/feedback/"

    form = client.get(feedback_url).json()
    assert form["given"] is False
    assert [f["pen"] for f in form["faculty"]] == [faculty.pen]
    q = {x["kind"]: x["id"] for x in form["questions"]}
    answers = {
        "answers": [
            {"question": q[K.COURSE_RATING], "rating": 4},
            {"question": q[K.FACULTY_RATING], "faculty": faculty.pen, "rating": 5},
            {"question": q[K.TEXT], "text": "Useful"},
        ]
    }

    assert client.post(feedback_url, answers, format="json").status_code == 201
    assert client.post(feedback_url, answers, format="json").status_code == 400
    assert client.get(feedback_url).json()["given"] is True
    assert FeedbackResponse.objects.count() == 1


def test_a_missing_faculty_rating_is_named_by_question_and_pen(
    api, batch, faculty, participants
) -> None:
    q = {x.kind: x.pk for x in feedback_form_for(batch=batch).questions.all()}

    response = as_user(api, participants[0]).post(
        f"/api/v1/batches/{batch.code}/feedback/",
        {"answers": [{"question": q[K.COURSE_RATING], "rating": 4}]},
        format="json",
    )

    assert response.status_code == 400
    assert f"q{q[K.FACULTY_RATING]}_{faculty.pen}" in response.json()


@pytest.mark.parametrize("who", ["learner_b", "officer_a", "coordinator"])
def test_only_participants_reach_the_feedback_of_a_batch(
    api, request, who, batch, participants
) -> None:
    client = as_user(api, request.getfixturevalue(who))

    assert client.get(f"/api/v1/batches/{batch.code}/feedback/").status_code == 404


def test_coordinator_reads_the_summary_and_learners_do_not_find_it(
    api, batch, faculty, coordinator, participants, other_coordinator
) -> None:
    q = {x.kind: x.pk for x in feedback_form_for(batch=batch).questions.all()}
    as_user(api, participants[0]).post(
        f"/api/v1/batches/{batch.code}/feedback/",
        {
            "answers": [
                {"question": q[K.COURSE_RATING], "rating": 3},
                {"question": q[K.FACULTY_RATING], "faculty": faculty.pen, "rating": 4},
                {"question": q[K.TEXT], "text": "More practice"},
            ]
        },
        format="json",
    )
    summary_url = f"/api/v1/batches/{batch.code}/feedback/summary/"

    body = as_user(api, coordinator).get(summary_url).json()

    assert (body["participants"], body["responses"], body["response_rate"]) == (2, 1, 50)
    assert body["ratings"][0]["average"] == "3.0"
    assert body["faculty_ratings"][0]["faculty"] == faculty.pen
    assert body["comments"][0]["comments"] == ["More practice"]
    assert participants[0].pen not in str(body)
    for outsider in (participants[0], other_coordinator):
        assert as_user(api, outsider).get(summary_url).status_code == 404


# --- The training record --------------------------------------------------------------


@pytest.fixture
def completed(batch, participants) -> Enrolment:
    Enrolment.objects.filter(batch=batch, employee=participants[0]).update(
        status=Enrolment.Status.COMPLETED,
        completed_on=batch.ends_on,
        hours_credited=Decimal("12"),
        attendance_percent=Decimal("91.7"),
    )
    return Enrolment.objects.get(batch=batch, employee=participants[0])


def test_an_officer_reads_the_training_record_of_their_staff_by_pen(
    api, officer_a, learner_a, completed
) -> None:
    response = as_user(api, officer_a).get(f"/api/v1/employees/{learner_a.pen}/training-record/")

    body = response.json()
    assert response.status_code == 200
    assert body["totals"]["hours_all_time"] == "12.0"
    assert body["completed"][0]["course"] == "IMG-RTI"
    assert body["completed"][0]["batch"] == "RTI-01"
    assert body["completed"][0]["attendance_percent"] == "91.7"


def test_a_learner_reads_their_own_record(api, learner_a, completed) -> None:
    response = as_user(api, learner_a).get(f"/api/v1/employees/{learner_a.pen}/training-record/")

    assert response.status_code == 200


@pytest.mark.parametrize("who", ["officer_b", "learner_b", "coordinator"])
def test_nobody_else_reads_the_record(api, request, who, learner_a, completed) -> None:
    client = as_user(api, request.getfixturevalue(who))

    assert client.get(f"/api/v1/employees/{learner_a.pen}/training-record/").status_code == 404


def test_the_schema_lists_the_new_endpoints(client) -> None:
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    paths = response.json()["paths"]
    assert "/api/v1/sessions/{id}/attendance/" in paths
    assert "/api/v1/batches/{code}/feedback/summary/" in paths
    assert "/api/v1/employees/{pen}/training-record/" in paths
