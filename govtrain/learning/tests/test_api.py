"""The online learning API: the same rules and 404s as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from govtrain.catalog.models import Course
from govtrain.learning.models import Lesson, LessonProgress, Module
from govtrain.people.models import Employee

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def api_as(employee: Employee) -> APIClient:
    api = APIClient()
    api.force_authenticate(employee.user)
    return api


def test_a_learner_enrols_and_reads_the_outline_with_progress(
    learner_a: Employee, online_course: Course, page: Lesson, link: Lesson
) -> None:
    api = api_as(learner_a)

    enrolled = api.post(reverse("v1:learning-enrol", args=[online_course.pk]))
    opened = api.post(reverse("v1:learning-lesson-open", args=[link.pk]))
    outline = api.get(reverse("v1:learning-outline", args=[online_course.pk])).json()

    assert enrolled.status_code == 201
    assert opened.json()["status"] == "started"
    assert outline["enrolment"]["status"] == "enrolled"
    assert outline["resume_lesson"] == link.pk
    assert (outline["required_lessons"], outline["done_lessons"]) == (2, 0)
    assert [m["title_en"] for m in outline["modules"]] == ["Basics", "Filing"]
    assert [p["lesson"] for p in outline["progress"]] == [link.pk]


def test_completing_over_the_api_follows_the_minimum_time(
    learner_a: Employee, online_course: Course, link: Lesson
) -> None:
    api = api_as(learner_a)
    api.post(reverse("v1:learning-enrol", args=[online_course.pk]))
    with time_machine.travel(T0, tick=False) as clock:
        api.post(reverse("v1:learning-lesson-open", args=[link.pk]))
        clock.shift(30)
        api.post(reverse("v1:learning-heartbeat", args=[link.pk]), {}, format="json")
        early = api.post(reverse("v1:learning-complete", args=[link.pk]))
        clock.shift(30)
        api.post(reverse("v1:learning-heartbeat", args=[link.pk]), {}, format="json")
        done = api.post(reverse("v1:learning-complete", args=[link.pk]))

    assert early.status_code == 400
    assert early.json() == ["Spend at least 1 min on this lesson; 30 s so far."]
    assert done.status_code == 200
    assert done.json()["status"] == "completed"


def test_a_learner_not_enrolled_gets_404(learner_b: Employee, page: Lesson) -> None:
    api = api_as(learner_b)

    assert api.post(reverse("v1:learning-lesson-open", args=[page.pk])).status_code == 404
    assert not LessonProgress.objects.exists()


def test_a_coordinator_manages_the_outline(
    coordinator: Employee, online_course: Course, basics: Module, page: Lesson, video: Lesson
) -> None:
    api = api_as(coordinator)

    created = api.post(
        reverse("v1:learning-authoring-lessons", args=[basics.pk]),
        {"kind": "link", "title_en": "Manual", "link_url": "https://example.org/m"},
        format="json",
    )
    moved = api.post(
        reverse("v1:learning-authoring-lesson-move", args=[created.json()["id"]]),
        {"direction": "up"},
        format="json",
    )
    outline = api.get(reverse("v1:learning-authoring-modules", args=[online_course.pk])).json()

    assert created.status_code == 201
    assert moved.json()["position"] == 2
    assert [lesson["title_en"] for lesson in outline[0]["lessons"]] == [
        "What e-office is",
        "Manual",
        "A tour",
    ]


def test_a_bad_lesson_over_the_api_gets_its_messages(coordinator: Employee, basics: Module) -> None:
    response = api_as(coordinator).post(
        reverse("v1:learning-authoring-lessons", args=[basics.pk]),
        {"kind": "page", "title_en": "Empty"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"body_source": ["A page needs its text."]}


def test_employees_and_other_providers_coordinators_get_404(
    learner_a: Employee, other_coordinator: Employee, online_course: Course, basics: Module
) -> None:
    for employee in (learner_a, other_coordinator):
        api = api_as(employee)
        url = reverse("v1:learning-authoring-modules", args=[online_course.pk])
        assert api.get(url).status_code == 404
        assert api.post(url, {"title_en": "Mine"}, format="json").status_code == 404
        move = reverse("v1:learning-authoring-module-move", args=[basics.pk])
        assert api.post(move, {"direction": "down"}, format="json").status_code == 404
    assert Module.objects.count() == 1


def test_the_openapi_document_lists_the_learning_endpoints(client: APIClient) -> None:
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    paths = response.json()["paths"]
    assert "/api/v1/learning/courses/{id}/outline/" in paths
    assert "/api/v1/learning/authoring/modules/{id}/lessons/" in paths
