"""Nominations over the API follow the same chain and scopes as the pages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from govtrain import testing as t
from govtrain.classroom.models import Batch, Nomination
from govtrain.people.models import Employee

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def batch(coordinator: Employee) -> Batch:
    return t.make_batch(capacity=1)


@pytest.fixture
def clerk_a(office_a, officer_a) -> Employee:
    return t.make_employee(office_a, name="Meera R.", controlling_officer=officer_a)


def test_officer_nominates_by_pen_and_the_coordinator_confirms(
    api, officer_a, learner_a, coordinator, batch
) -> None:
    api.force_authenticate(officer_a.user)
    created = api.post(
        "/api/v1/nominations/", {"batch": batch.code, "pens": [learner_a.pen]}, format="json"
    )
    assert created.status_code == 201
    nomination_id = created.json()["created"][0]["id"]

    api.force_authenticate(coordinator.user)
    confirmed = api.post(
        f"/api/v1/nominations/{nomination_id}/decide/", {"action": "confirm"}, format="json"
    )

    assert confirmed.status_code == 200
    body = confirmed.json()
    assert body["status"] == "confirmed"
    assert [e["action"] for e in body["events"]] == ["created", "confirmed"]


def test_refusals_come_back_per_pen_and_nothing_is_written(
    api, officer_a, learner_a, batch
) -> None:
    course = batch.course
    course.target_designations.set([t.make_designation("VO", "Village Officer")])
    api.force_authenticate(officer_a.user)

    response = api.post(
        "/api/v1/nominations/", {"batch": batch.code, "pens": [learner_a.pen]}, format="json"
    )

    assert response.status_code == 400
    assert learner_a.pen in response.json()["refused"]
    assert not Nomination.objects.exists()


def test_learner_requests_and_sees_only_their_own(api, clerk_a, learner_b, batch) -> None:
    api.force_authenticate(clerk_a.user)
    assert api.post("/api/v1/nominations/request/", {"batch": batch.code}).status_code == 201

    api.force_authenticate(learner_b.user)
    assert api.get("/api/v1/nominations/").json()["count"] == 0


def test_controlling_officer_finds_requests_awaiting_them(api, clerk_a, officer_a, batch):
    api.force_authenticate(clerk_a.user)
    api.post("/api/v1/nominations/request/", {"batch": batch.code})

    api.force_authenticate(officer_a.user)
    waiting = api.get("/api/v1/nominations/", {"awaiting_me": "true"}).json()

    assert [n["employee"] for n in waiting["results"]] == [clerk_a.pen]


def test_officer_of_another_department_cannot_decide(api, clerk_a, officer_b, batch) -> None:
    api.force_authenticate(clerk_a.user)
    nomination_id = api.post("/api/v1/nominations/request/", {"batch": batch.code}).json()["id"]

    api.force_authenticate(officer_b.user)
    response = api.post(f"/api/v1/nominations/{nomination_id}/decide/", {"action": "approve"})

    assert response.status_code == 404
    assert Nomination.objects.get().status == "requested"


def test_learner_cannot_nominate_through_the_api(api, learner_a, learner_b, batch) -> None:
    api.force_authenticate(learner_a.user)

    response = api.post(
        "/api/v1/nominations/", {"batch": batch.code, "pens": [learner_a.pen]}, format="json"
    )

    assert response.status_code == 403


def test_coordinator_sets_the_chain_over_the_api_and_others_get_404(
    api, coordinator, learner_a
) -> None:
    t.make_course("IMG-RTI")
    api.force_authenticate(coordinator.user)

    saved = api.put(
        "/api/v1/providers/IMG/approval-policy/",
        {"course": "IMG-RTI", "steps": ["department"], "lead_days": 10},
        format="json",
    )
    read = api.get("/api/v1/providers/IMG/approval-policy/", {"course": "IMG-RTI"})
    unknown = api.put(
        "/api/v1/providers/IMG/approval-policy/",
        {"course": "NOPE", "steps": [], "lead_days": 7},
        format="json",
    )

    assert saved.status_code == 200
    assert read.json()["steps"] == ["department", "institute"]
    assert unknown.status_code == 400
    api.force_authenticate(learner_a.user)
    assert api.get("/api/v1/providers/IMG/approval-policy/").status_code == 404
