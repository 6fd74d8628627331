"""Completing lessons and the course: a SCORM lesson only by its package's result, two
lessons finishing at once, and the coordinators told of a flag."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from govtrain import testing as t
from govtrain.accounts.models import Role
from govtrain.catalog.models import Course
from govtrain.learning import events
from govtrain.learning.models import Lesson, LessonProgress, ScormAttempt
from govtrain.learning.services import progress as svc
from govtrain.notifications.models import Notification
from govtrain.organisation.models import Office
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)
PACKAGE_DECIDES = "The package decides when this lesson is done: finish it in the player."


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


@pytest.fixture
def enrolment(learner_a: Employee, online_course: Course) -> Enrolment:
    assert learner_a.user is not None
    return svc.course_enrol(employee=learner_a, course=online_course, by=learner_a.user)


def attempt(enrolment: Enrolment, lesson: Lesson, completion: str, success: str = "") -> None:
    """What services/scorm.py stores from the package's commit."""
    ScormAttempt.objects.create(
        enrolment=enrolment,
        lesson=lesson,
        completion_status=completion,
        success_status=success,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("completion", "success"),
    [(None, None), ("incomplete", ""), ("completed", "failed")],
)
def test_a_scorm_lesson_is_not_completed_without_the_packages_result(
    enrolment: Enrolment, scorm_quiz: Lesson, completion: str | None, success: str | None
) -> None:
    progress = svc.lesson_open(enrolment=enrolment, lesson=scorm_quiz, now=at(0))
    if completion is not None:
        attempt(enrolment, scorm_quiz, completion, success or "")

    with pytest.raises(ValidationError) as error:
        svc.lesson_complete(progress=progress, by=None, now=at(60))

    assert error.value.messages == [PACKAGE_DECIDES]
    progress.refresh_from_db()
    assert progress.status == LessonProgress.Status.STARTED
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


@pytest.mark.django_db
def test_a_scorm_lesson_completes_once_its_package_reported_it_completed(
    enrolment: Enrolment, scorm_quiz: Lesson
) -> None:
    progress = svc.lesson_open(enrolment=enrolment, lesson=scorm_quiz, now=at(0))
    attempt(enrolment, scorm_quiz, "completed", "passed")

    svc.lesson_complete(progress=progress, by=None, now=at(60))

    progress.refresh_from_db()
    assert progress.status == LessonProgress.Status.COMPLETED


@pytest.mark.django_db
def test_a_scorm_lesson_cannot_be_marked_as_done_on_its_page(
    client: Client, learner_a: Employee, online_course: Course, scorm_quiz: Lesson
) -> None:
    assert learner_a.user is not None
    client.force_login(learner_a.user)
    client.post(reverse("learning:course-enrol", args=[online_course.pk]))
    enrolment = Enrolment.objects.get(employee=learner_a)
    svc.lesson_open(enrolment=enrolment, lesson=scorm_quiz)
    attempt(enrolment, scorm_quiz, "completed", "failed")

    response = client.post(reverse("learning:lesson-complete", args=[scorm_quiz.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("learning:lesson-detail", args=[scorm_quiz.pk])
    messages = [str(m) for m in response.wsgi_request._messages]  # type: ignore[attr-defined]
    assert messages[-1] == PACKAGE_DECIDES
    assert LessonProgress.objects.get().status == LessonProgress.Status.STARTED
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


@pytest.mark.django_db
def test_a_scorm_lesson_cannot_be_completed_over_the_api(
    learner_a: Employee, online_course: Course, scorm_quiz: Lesson
) -> None:
    api = APIClient()
    api.force_authenticate(learner_a.user)
    api.post(reverse("v1:learning-enrol", args=[online_course.pk]))
    api.post(reverse("v1:learning-lesson-open", args=[scorm_quiz.pk]))

    response = api.post(reverse("v1:learning-complete", args=[scorm_quiz.pk]))

    assert response.status_code == 400
    assert response.json() == [PACKAGE_DECIDES]
    assert LessonProgress.objects.get().status == LessonProgress.Status.STARTED


@pytest.mark.django_db
def test_completing_a_lesson_locks_the_enrolment_before_its_progress(
    enrolment: Enrolment, link: Lesson, monkeypatch: pytest.MonkeyPatch
) -> None:
    progress = svc.lesson_open(enrolment=enrolment, lesson=link, now=at(0))
    LessonProgress.objects.filter(pk=progress.pk).update(seconds_spent=60)
    locked: list[type[Any]] = []
    select_for_update = QuerySet.select_for_update

    def recording(self: QuerySet[Any], *args: Any, **kwargs: Any) -> QuerySet[Any]:
        locked.append(self.model)
        return select_for_update(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", recording)

    svc.lesson_complete(progress=progress, by=None, now=at(60))

    # The same order wherever a course may complete, so that two completions queue on the
    # enrolment instead of deadlocking.
    assert locked[:2] == [Enrolment, LessonProgress]


# Two connections are needed, and the test run's in-memory SQLite has one database per
# connection in shared-cache mode, whose locks fail at once instead of waiting.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a second real connection")
@pytest.mark.django_db(transaction=True)
def test_the_last_two_lessons_completed_at_once_complete_the_course(
    enrolment: Enrolment, page: Lesson, video: Lesson, link: Lesson, monkeypatch: pytest.MonkeyPatch
) -> None:
    video.is_required = False
    video.save()
    progresses = []
    for lesson in (page, link):
        progress = svc.lesson_open(enrolment=enrolment, lesson=lesson, now=at(0))
        LessonProgress.objects.filter(pk=progress.pk).update(seconds_spent=lesson.min_seconds)
        progresses.append(progress)
    # Both completions stop where they have marked their own lesson done and are about to
    # count the course's: without a lock on the enrolment both get there, and each counts
    # the other's lesson as not done; with it the second waits, and the barrier breaks.
    meeting = threading.Barrier(2, timeout=2)
    rule_met = svc.course_rule_met

    def meet(*, enrolment: Enrolment) -> bool:
        with contextlib.suppress(threading.BrokenBarrierError):
            meeting.wait()
        return rule_met(enrolment=enrolment)

    monkeypatch.setattr(svc, "course_rule_met", meet)
    # The xAPI statements of the two completions would queue on the LRS's unique keys
    # and hide the race: this test is about the enrolment's lock, not theirs.
    monkeypatch.setattr(events, "lesson_event", lambda **kwargs: None)
    errors: list[BaseException] = []

    def complete(progress: LessonProgress) -> None:
        try:
            svc.lesson_complete(progress=progress, by=None, now=at(600))
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete, args=(p,)) for p in progresses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert LessonProgress.objects.filter(status=LessonProgress.Status.COMPLETED).count() == 2
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


@pytest.mark.django_db
def test_each_active_coordinator_is_told_of_a_flag_once(
    enrolment: Enrolment, video: Lesson, coordinator: Employee, office_a: Office
) -> None:
    assert coordinator.user is not None
    # A second assignment to the same provider (say, for another of its centres).
    t.grant(coordinator.user, Role.COORDINATOR, provider=t.make_provider("IMG"))
    retired = t.make_employee(office_a, name="Retired Coordinator")
    assert retired.user is not None
    t.grant(retired.user, Role.COORDINATOR, provider=t.make_provider("IMG"))
    retired.user.is_active = False
    retired.user.save()
    progress = svc.lesson_open(enrolment=enrolment, lesson=video, now=at(0))

    svc.video_progress_record(progress=progress, ranges=[[0, 300]], now=at(10))

    assert list(Notification.objects.values_list("user", flat=True)) == [coordinator.user.pk]
