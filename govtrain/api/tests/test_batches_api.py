"""Batches over the API: the calendar for everyone, scheduling for coordinators only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from govtrain import testing as t
from govtrain.accounts.models import Role
from govtrain.audit.models import AuditEvent
from govtrain.classroom.models import Batch
from govtrain.classroom.services import attendance
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment
from govtrain.records.services import enrolment_open

pytestmark = pytest.mark.django_db
START = timezone.localdate() + dt.timedelta(days=40)


def as_user(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def payload(**overrides: Any) -> dict[str, Any]:
    t.make_venue()
    data: dict[str, Any] = {
        "course": t.make_course().code,
        "code": "RTI-API",
        "centre": "IMG-TVM",
        "venue": "SC1",
        "starts_on": START.isoformat(),
        "ends_on": (START + dt.timedelta(days=1)).isoformat(),
        "capacity": 25,
        "nominations_open_on": timezone.localdate().isoformat(),
        "nominations_close_on": (START - dt.timedelta(days=10)).isoformat(),
        "language": "ml",
    }
    data.update(overrides)
    return data


@pytest.fixture
def batch(coordinator) -> Batch:
    return t.make_batch(code="RTI-01", starts_on=START)


@pytest.fixture
def other_coordinator(office_b) -> Employee:
    employee = t.make_employee(office_b, name="Joseph K.")
    t.grant(employee.user, Role.COORDINATOR, provider=t.make_provider("KILA"))
    return employee


def test_learner_lists_published_batches_filtered_by_dates_and_centre(learner_a, batch) -> None:
    t.make_batch(code="EKM-01", venue=t.make_venue(centre_code="IMG-EKM"), starts_on=START)
    t.make_batch(
        t.make_course("IMG-DRAFT", is_published=False),
        code="DRAFT-01",
        venue=t.make_venue(code="SC2"),
        starts_on=START,
    )
    api = as_user(learner_a.user)

    everything = api.get("/api/v1/batches/").json()
    at_tvm = api.get("/api/v1/batches/", {"centre": "IMG-TVM"}).json()
    after = api.get("/api/v1/batches/", {"from": (START + dt.timedelta(days=3)).isoformat()})
    before = api.get("/api/v1/batches/", {"to": (START - dt.timedelta(days=1)).isoformat()})
    between = api.get("/api/v1/batches/", {"from": START.isoformat(), "to": START.isoformat()})

    assert {b["code"] for b in everything["results"]} == {"RTI-01", "EKM-01"}
    assert [b["code"] for b in at_tvm["results"]] == ["RTI-01"]
    assert after.json()["count"] == 0
    assert before.json()["count"] == 0
    assert between.json()["count"] == 2
    first = at_tvm["results"][0]
    assert (first["course"], first["provider"], first["venue"]) == ("IMG-RTI", "IMG", "SC1")


def test_filters_by_course_and_provider(learner_a, batch) -> None:
    api = as_user(learner_a.user)

    assert api.get("/api/v1/batches/", {"course": "IMG-RTI"}).json()["count"] == 1
    assert api.get("/api/v1/batches/", {"course": "OTHER"}).json()["count"] == 0
    assert api.get("/api/v1/batches/", {"provider": "IMG"}).json()["count"] == 1
    assert api.get("/api/v1/batches/", {"provider": "KILA"}).json()["count"] == 0


def test_detail_has_sessions_quotas_and_faculty(learner_a, batch, department_a) -> None:
    batch.quotas.create(department=department_a, seats=10)

    body = as_user(learner_a.user).get("/api/v1/batches/RTI-01/").json()

    assert len(body["sessions"]) == 6
    assert body["sessions"][0].keys() >= {"date", "starts_at", "ends_at", "title", "faculty"}
    assert body["quotas"] == [
        {"department": "REV", "service_class": None, "gender": "", "seats": 10}
    ]
    assert body["faculty"] == []


def test_coordinator_schedules_a_batch_through_the_service(coordinator) -> None:
    teacher = t.make_employee(coordinator.office, name="Dr. Lekha N.", login=False)

    response = as_user(coordinator.user).post(
        "/api/v1/batches/",
        payload(
            sessions=[
                {
                    "date": START.isoformat(),
                    "starts_at": "10:00",
                    "ends_at": "13:00",
                    "title": "RTI basics",
                    "faculty": teacher.pen,
                }
            ],
            quotas=[{"gender": "F", "seats": 10}],
        ),
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sessions"][0]["faculty"] == teacher.pen
    assert body["faculty"] == [teacher.pen]
    assert body["quotas"][0]["gender"] == "F"
    assert AuditEvent.objects.get(action="batch.created").actor == coordinator.user


def test_a_conflict_is_a_400_naming_the_other_batch_and_nothing_is_written(
    coordinator, batch
) -> None:
    response = as_user(coordinator.user).post(
        "/api/v1/batches/",
        payload(
            sessions=[
                {"date": START.isoformat(), "starts_at": "11:00", "ends_at": "12:00", "title": "X"}
            ]
        ),
        format="json",
    )

    assert response.status_code == 400
    assert "already booked for batch RTI-01" in str(response.json())
    assert not Batch.objects.filter(code="RTI-API").exists()


def test_an_unknown_room_is_a_400(coordinator) -> None:
    response = as_user(coordinator.user).post(
        "/api/v1/batches/", payload(venue="NOPE"), format="json"
    )

    assert response.status_code == 400
    assert "venue" in response.json()


@pytest.mark.parametrize("who", ["learner_a", "officer_a"])
def test_learners_and_officers_cannot_schedule(request, who) -> None:
    user = request.getfixturevalue(who).user

    response = as_user(user).post("/api/v1/batches/", payload(), format="json")

    assert response.status_code == 403
    assert not Batch.objects.exists()


def test_coordinator_of_another_provider_cannot_schedule_for_it(other_coordinator) -> None:
    response = as_user(other_coordinator.user).post("/api/v1/batches/", payload(), format="json")

    assert response.status_code == 403
    assert not Batch.objects.exists()


def test_coordinator_of_another_provider_gets_404_when_changing_a_batch(
    other_coordinator, batch
) -> None:
    response = as_user(other_coordinator.user).patch(
        "/api/v1/batches/RTI-01/", {"capacity": 5}, format="json"
    )

    assert response.status_code == 404
    batch.refresh_from_db()
    assert batch.capacity == 30


def test_coordinator_changes_seats_and_replaces_the_timetable(coordinator, batch) -> None:
    response = as_user(coordinator.user).patch(
        "/api/v1/batches/RTI-01/",
        {
            "capacity": 20,
            "sessions": [
                {"date": START.isoformat(), "starts_at": "09:30", "ends_at": "12:30", "title": "A"}
            ],
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    batch.refresh_from_db()
    assert batch.capacity == 20
    assert [s.title for s in batch.sessions.all()] == ["A"]
    event = AuditEvent.objects.get(action="batch.updated")
    assert event.after["capacity"] == 20


def test_a_refused_change_leaves_the_batch_as_it_was(coordinator, batch) -> None:
    response = as_user(coordinator.user).patch(
        "/api/v1/batches/RTI-01/", {"capacity": 41}, format="json"
    )

    assert response.status_code == 400
    assert "seats 40" in str(response.json())
    batch.refresh_from_db()
    assert batch.capacity == 30


def test_without_credentials_no_batch_is_served(batch) -> None:
    assert APIClient().get("/api/v1/batches/").status_code in (401, 403)


def test_coordinator_closes_an_ended_batch_and_others_cannot(
    coordinator, learner_a, other_coordinator
) -> None:
    ended = timezone.localdate() - dt.timedelta(days=5)
    batch = t.make_batch(
        code="RTI-OLD",
        starts_on=ended,
        days=1,
        sessions_per_day=1,
        nominations_open_on=ended - dt.timedelta(days=30),
    )
    enrolment_open(employee=learner_a, batch=batch)
    attendance.attendance_mark(
        session=batch.sessions.get(), marks={learner_a.pk: ("present", None)}, by=coordinator.user
    )
    url = "/api/v1/batches/RTI-OLD/complete/"

    assert as_user(learner_a.user).post(url).status_code == 403
    assert as_user(other_coordinator.user).post(url).status_code == 404
    response = as_user(coordinator.user).post(url)

    assert response.status_code == 200
    assert response.json()["completed"] == 1
    assert Enrolment.objects.get(employee=learner_a).status == "completed"
