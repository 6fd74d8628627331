"""Institutes choose who approves nominations to their batches, per provider or course."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from govtrain import testing as t
from govtrain.audit.models import AuditEvent
from govtrain.classroom.models import ApprovalPolicy, Step
from govtrain.classroom.selectors import policy_for
from govtrain.classroom.services import policies as services

pytestmark = pytest.mark.django_db


def test_coordinator_sets_the_institutes_chain_and_a_course_exception(coordinator) -> None:
    img = t.make_provider("IMG")
    course = t.make_course("IMG-LDP")

    services.approval_policy_set(
        by=coordinator.user, provider=img, steps=["department"], lead_days=14
    )
    services.approval_policy_set(by=coordinator.user, course=course, steps=[], lead_days=3)

    assert policy_for(t.make_course("IMG-RTI")).steps == (Step.DEPARTMENT, Step.INSTITUTE)
    assert policy_for(course).steps == (Step.INSTITUTE,)
    assert policy_for(course).lead_days == 3
    assert AuditEvent.objects.filter(action="approval_policy.set").count() == 2

    services.approval_policy_remove(by=coordinator.user, course=course)
    assert policy_for(course).lead_days == 14


def test_steps_are_put_in_order_with_the_institute_last(coordinator) -> None:
    policy = services.approval_policy_set(
        by=coordinator.user,
        provider=t.make_provider("IMG"),
        steps=["institute", "department", "controlling_officer"],
        lead_days=7,
    )

    assert policy.steps == ["controlling_officer", "department", "institute"]


def test_coordinator_cannot_set_another_institutes_chain(coordinator) -> None:
    with pytest.raises(PermissionDenied):
        services.approval_policy_set(
            by=coordinator.user, provider=t.make_provider("KILA"), steps=[], lead_days=7
        )

    assert not ApprovalPolicy.objects.exists()


def test_the_page_saves_the_chain(client, coordinator) -> None:
    t.make_provider("IMG")
    client.force_login(coordinator.user)
    url = reverse("classroom:approval-policy", args=["IMG"])

    response = client.post(url, {"controlling_officer": "on", "department": "on", "lead_days": 10})

    assert response.status_code == 302
    assert ApprovalPolicy.objects.get().steps == ["controlling_officer", "department", "institute"]
    assert "Controlling officer" in client.get(url).content.decode()


def test_an_unknown_course_code_is_named_and_nothing_changes(client, coordinator) -> None:
    t.make_provider("IMG")
    client.force_login(coordinator.user)

    response = client.post(
        reverse("classroom:approval-policy", args=["IMG"]), {"course": "NOPE", "lead_days": 7}
    )

    assert "No course NOPE" in response.content.decode()
    assert not ApprovalPolicy.objects.exists()


def test_learners_and_other_coordinators_get_404(client, learner_a, coordinator) -> None:
    t.make_provider("KILA")
    client.force_login(learner_a.user)
    assert client.get(reverse("classroom:approval-policy", args=["IMG"])).status_code == 404

    client.force_login(coordinator.user)
    assert client.get(reverse("classroom:approval-policy", args=["KILA"])).status_code == 404


def test_a_longer_lead_time_closes_nominations_on_the_course_page_at_once(
    client, coordinator, learner_a
) -> None:
    batch = t.make_batch(starts_on=timezone.localdate() + dt.timedelta(days=20))
    page = reverse("catalog:course-detail", args=[batch.course.code])
    client.force_login(learner_a.user)
    assert "Request a seat" in client.get(page).content.decode()

    services.approval_policy_set(
        by=coordinator.user, provider=batch.course.provider, steps=[], lead_days=30
    )

    assert "Nominations closed on" in client.get(page).content.decode()
