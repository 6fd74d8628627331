"""SCORM lessons: the player on the lesson page, and the commits that carry its runtime data."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from govtrain.audit.models import AuditEvent
from govtrain.catalog.models import Course
from govtrain.learning.models import Lesson, LessonProgress, Module, ScormAttempt
from govtrain.lrs.models import Statement
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment
from govtrain.scorm import samples
from govtrain.scorm.services import package_import

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _content_origin(settings: Any) -> None:
    settings.SCORM_CONTENT_ORIGIN = "http://content.example.org"


@pytest.fixture
def scorm_lesson(basics: Module) -> Lesson:
    package = package_import(
        upload=io.BytesIO(samples.build("1.2")), by=None, provider=basics.course.provider
    )
    return Lesson.objects.create(
        module=basics,
        kind=Lesson.Kind.SCORM,
        title_en="Quiz",
        package=package,
        min_seconds=60,
    )


@pytest.fixture
def learner(client: Client, learner_a: Employee, online_course: Course) -> Client:
    assert learner_a.user is not None
    client.force_login(learner_a.user)
    client.post(reverse("learning:course-enrol", args=[online_course.pk]))
    return client


def open_lesson(client: Client, lesson: Lesson) -> str:
    """The learner opens the lesson page: a launch of the package. Its id, as the player
    sends it with each commit."""
    response = client.get(reverse("learning:lesson-detail", args=[lesson.pk]))
    assert response.status_code == 200
    launch: str = response.context["player"]["launch"]
    return launch


def commit(
    client: Client,
    lesson: Lesson,
    sequence: int,
    status: str,
    launch: str | None = None,
    **core: Any,
) -> Any:
    """A commit of the player; of the attempt's latest launch unless `launch` is given."""
    attempt = ScormAttempt.objects.get(lesson=lesson)
    body = {
        "version": "1.2",
        "sco": "item_1",
        "attempt": str(attempt.pk),
        "launch": attempt.launch if launch is None else launch,
        "sequence": sequence,
        "finished": False,
        "cmi": {
            "core": {
                "lesson_status": status,
                "lesson_location": core.pop("location", ""),
                "score": core.pop("score", {}),
                "session_time": "00:00:30",
                "total_time": "00:00:30",
                "exit": "suspend",
            },
            "suspend_data": core.pop("suspend_data", ""),
        },
    }
    return client.post(
        reverse("learning:scorm-commit", args=[lesson.pk]),
        json.dumps(body),
        content_type="application/json",
    )


def test_the_lesson_page_plays_the_package(learner: Client, scorm_lesson: Lesson) -> None:
    response = learner.get(reverse("learning:lesson-detail", args=[scorm_lesson.pk]))

    assert response.status_code == 200
    assert b"scorm-player-config" in response.content
    assert ScormAttempt.objects.filter(lesson=scorm_lesson).count() == 1


def test_commits_are_stored_and_the_learner_resumes_with_suspend_data(
    learner: Client, scorm_lesson: Lesson
) -> None:
    launch = open_lesson(learner, scorm_lesson)

    saved = commit(
        learner, scorm_lesson, 2, "incomplete", launch, location="page-2", suspend_data="p=2"
    )
    late = commit(learner, scorm_lesson, 1, "incomplete", launch, location="page-1")
    again = learner.get(reverse("learning:lesson-detail", args=[scorm_lesson.pk]))

    assert saved.json() == {"ok": True, "message": ""}
    assert late.status_code == 200
    attempt = ScormAttempt.objects.get()
    assert (attempt.location, attempt.suspend_data, attempt.commits) == ("page-2", "p=2", 1)
    initial = again.context["player"]["initial"]
    assert "p=2" in json.dumps(initial)
    assert "resume" in json.dumps(initial)


def test_a_new_launch_numbers_its_commits_from_one_again(
    learner: Client, scorm_lesson: Lesson
) -> None:
    first = open_lesson(learner, scorm_lesson)
    commit(learner, scorm_lesson, 5, "incomplete", first, location="page-1")

    second = open_lesson(learner, scorm_lesson)
    commit(learner, scorm_lesson, 1, "incomplete", second, location="page-2")

    attempt = ScormAttempt.objects.get()
    assert (attempt.location, attempt.commits, attempt.launch) == ("page-2", 2, second)


def test_a_late_unload_commit_of_the_previous_launch_does_not_lose_the_new_launchs_commits(
    learner: Client, scorm_lesson: Lesson
) -> None:
    first = open_lesson(learner, scorm_lesson)
    for sequence in range(1, 6):
        commit(learner, scorm_lesson, sequence, "incomplete", first, location=f"old-{sequence}")
    second = open_lesson(learner, scorm_lesson)  # the learner reloads the page
    # The first page's last commit (LMSFinish on unload, keepalive) lands after the reload.
    stale = commit(learner, scorm_lesson, 6, "incomplete", first, location="old-final")

    answers = [
        commit(learner, scorm_lesson, 1, "incomplete", second, location="new-page-3"),
        commit(learner, scorm_lesson, 2, "incomplete", second, location="new-page-4"),
    ]

    assert stale.status_code == 409
    assert [a.json() for a in answers] == [{"ok": True, "message": ""}] * 2
    attempt = ScormAttempt.objects.get()
    assert (attempt.location, attempt.launch, attempt.last_sequence) == ("new-page-4", second, 2)


def test_a_commit_of_a_launch_a_newer_one_has_replaced_is_refused_and_stores_nothing(
    learner: Client, scorm_lesson: Lesson
) -> None:
    first = open_lesson(learner, scorm_lesson)
    commit(learner, scorm_lesson, 1, "incomplete", first, location="tab-1")
    second = open_lesson(learner, scorm_lesson)  # the lesson again, in another tab
    commit(learner, scorm_lesson, 1, "incomplete", second, location="tab-2")

    stale = commit(learner, scorm_lesson, 2, "passed", first, location="tab-1-later")

    assert stale.status_code == 409
    assert stale.json() == {
        "ok": False,
        "message": "This lesson was opened again in another tab or window, so progress made "
        "here is no longer saved. Reload the page to go on here.",
    }
    attempt = ScormAttempt.objects.get()
    assert (attempt.location, attempt.commits, attempt.launch) == ("tab-2", 2, second)
    assert attempt.success_status == "unknown"
    assert LessonProgress.objects.get().status == LessonProgress.Status.STARTED


def test_a_commit_without_the_pages_launch_is_refused_and_stores_nothing(
    learner: Client, scorm_lesson: Lesson
) -> None:
    open_lesson(learner, scorm_lesson)

    missing = commit(learner, scorm_lesson, 1, "incomplete", "", location="p1")
    made_up = commit(learner, scorm_lesson, 1, "incomplete", "<script>", location="p1")

    assert missing.status_code == 400
    assert missing.json()["message"] == "The commit has no valid launch."
    assert made_up.status_code == 409
    assert ScormAttempt.objects.get().commits == 0


def test_a_scorm_2004_lesson_completes_by_the_manifests_pass_marks_not_the_browsers(
    learner: Client, basics: Module
) -> None:
    package = package_import(
        upload=io.BytesIO(samples.build("2004")), by=None, provider=basics.course.provider
    )
    lesson = Lesson.objects.create(
        module=basics, kind=Lesson.Kind.SCORM, title_en="Quiz", package=package, min_seconds=0
    )
    launch = open_lesson(learner, lesson)
    attempt = ScormAttempt.objects.get(lesson=lesson)
    # The manifest asks for progress 1.0 and a score of 0.66; the browser claims lower marks.
    cmi = {
        "completion_status": "completed",
        "success_status": "passed",
        "progress_measure": "0.5",
        "score": {"scaled": "0.4"},
        "completion_threshold": "0.1",
        "scaled_passing_score": "0.2",
    }
    body = {"attempt": str(attempt.pk), "launch": launch, "sequence": 1, "cmi": cmi}

    response = learner.post(
        reverse("learning:scorm-commit", args=[lesson.pk]),
        json.dumps(body),
        content_type="application/json",
    )

    assert response.json() == {"ok": True, "message": ""}
    attempt.refresh_from_db()
    assert (attempt.completion_status, attempt.success_status) == ("incomplete", "failed")
    assert LessonProgress.objects.get(lesson=lesson).status == LessonProgress.Status.STARTED


def test_a_package_played_to_the_end_completes_the_lesson_and_the_course(
    learner: Client, scorm_lesson: Lesson, learner_a: Employee
) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        learner.get(reverse("learning:lesson-detail", args=[scorm_lesson.pk]))
        clock.shift(15)
        learner.post(reverse("learning:lesson-heartbeat", args=[scorm_lesson.pk]))
        early = commit(learner, scorm_lesson, 1, "incomplete", location="page-2")
        for _ in range(3):
            clock.shift(15)
            learner.post(reverse("learning:lesson-heartbeat", args=[scorm_lesson.pk]))
        done = commit(learner, scorm_lesson, 2, "passed", score={"raw": "90"})

    assert early.json() == {"ok": True, "message": ""}
    assert done.json() == {"ok": True, "message": "Lesson completed."}
    progress = LessonProgress.objects.get(lesson=scorm_lesson)
    assert progress.status == LessonProgress.Status.COMPLETED
    assert str(progress.score_scaled) == "0.9000"
    enrolment = Enrolment.objects.get(employee=learner_a)
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert AuditEvent.objects.filter(action="enrolment.completed").exists()
    bodies = [json.loads(s.body) for s in Statement.objects.order_by("seq")]
    passed = [b for b in bodies if b["verb"]["id"].endswith("/passed")]
    assert len(passed) == 1
    assert passed[0]["result"] == {"completion": True, "score": {"scaled": 0.9}, "success": True}


def test_a_package_finished_early_completes_once_the_time_has_passed(
    learner: Client, scorm_lesson: Lesson
) -> None:
    heartbeat = reverse("learning:lesson-heartbeat", args=[scorm_lesson.pk])
    with time_machine.travel(T0, tick=False) as clock:
        learner.get(reverse("learning:lesson-detail", args=[scorm_lesson.pk]))
        early = commit(learner, scorm_lesson, 1, "passed", score={"raw": "90"})
        clock.shift(30)
        halfway = learner.post(heartbeat).json()
        clock.shift(30)
        done = learner.post(heartbeat).json()

    assert early.json()["ok"] is True
    assert early.json()["message"] == (
        "Your progress is saved. Spend at least 1 min on this lesson; 0 s so far."
    )
    assert halfway["completed"] is False
    assert done["completed"] is True
    assert LessonProgress.objects.get().status == LessonProgress.Status.COMPLETED


def test_a_failed_package_does_not_complete_the_lesson(
    learner: Client, scorm_lesson: Lesson
) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        learner.get(reverse("learning:lesson-detail", args=[scorm_lesson.pk]))
        for _ in range(5):
            clock.shift(15)
            learner.post(reverse("learning:lesson-heartbeat", args=[scorm_lesson.pk]))
        response = commit(learner, scorm_lesson, 1, "failed", score={"raw": "20"})

    assert response.json()["ok"] is True
    assert LessonProgress.objects.get().status == LessonProgress.Status.STARTED


def test_another_learners_attempt_and_garbage_are_refused(
    learner: Client, scorm_lesson: Lesson, learner_b: Employee, online_course: Course
) -> None:
    learner.get(reverse("learning:lesson-detail", args=[scorm_lesson.pk]))
    assert learner_b.user is not None
    other = Client()
    other.force_login(learner_b.user)
    other.post(reverse("learning:course-enrol", args=[online_course.pk]))
    other.get(reverse("learning:lesson-detail", args=[scorm_lesson.pk]))
    mine = ScormAttempt.objects.get(enrolment__employee__user=learner.session["_auth_user_id"])
    body = {"attempt": str(mine.pk), "sequence": 1, "cmi": {"core": {"lesson_status": "passed"}}}

    stolen = other.post(
        reverse("learning:scorm-commit", args=[scorm_lesson.pk]),
        json.dumps(body),
        content_type="application/json",
    )
    garbage = learner.post(
        reverse("learning:scorm-commit", args=[scorm_lesson.pk]),
        json.dumps({**body, "cmi": {"core": {"lesson_status": "aced"}}}),
        content_type="application/json",
    )

    assert stolen.status_code == 400
    assert garbage.status_code == 400
    assert garbage.json()["ok"] is False
    assert ScormAttempt.objects.filter(commits__gt=0).count() == 0


def test_a_package_of_another_institute_cannot_be_chosen(
    coordinator: Employee, basics: Module
) -> None:
    from govtrain import testing as t
    from govtrain.learning.services import authoring

    assert coordinator.user is not None
    theirs = package_import(
        upload=io.BytesIO(samples.build("2004")), by=None, provider=t.make_provider("KILA")
    )
    data = authoring.LessonInput(kind=Lesson.Kind.SCORM, title_en="Quiz", package_id=theirs.pk)

    with pytest.raises(ValidationError, match="this course's institute"):
        authoring.lesson_save(module=basics, data=data, by=coordinator.user)
    assert not Lesson.objects.exists()
