"""A video's watched share: new seconds are accepted only against the time the server's
heartbeats credited since the previous report, never against the clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from govtrain.catalog.models import Course
from govtrain.learning.models import Lesson, LessonProgress, PlausibilityFlag
from govtrain.learning.services import progress as svc
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

pytestmark = pytest.mark.django_db
T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


@pytest.fixture
def enrolment(learner_a: Employee, online_course: Course) -> Enrolment:
    assert learner_a.user is not None
    return svc.course_enrol(employee=learner_a, course=online_course, by=learner_a.user)


def beat(progress: LessonProgress, start: float, until: float, every: float = 15) -> None:
    now = start + every
    while now <= until:
        svc.heartbeat_record(progress=progress, now=at(now))
        now += every


def test_video_reported_with_the_page_closed_earns_nothing_and_is_flagged(
    enrolment: Enrolment, video: Lesson
) -> None:
    progress = svc.lesson_open(enrolment=enrolment, lesson=video, now=at(0))

    # No heartbeat at all: the tab was closed. 150 s later, one report of the whole video.
    progress = svc.video_progress_record(progress=progress, ranges=[[0, 300]], now=at(150))

    assert progress.watched_seconds == 0
    assert PlausibilityFlag.objects.get().reason == PlausibilityFlag.Reason.VIDEO
    with pytest.raises(ValidationError, match="80% of the video; 0% so far"):
        svc.lesson_complete(progress=progress, by=None, now=at(151))


def test_time_before_the_previous_report_is_not_counted_again(
    enrolment: Enrolment, video: Lesson
) -> None:
    progress = svc.lesson_open(enrolment=enrolment, lesson=video, now=at(0))
    beat(progress, 0, 60)
    svc.video_progress_record(progress=progress, ranges=[[0, 60]], now=at(60))

    # The tab closed at 60 s; an hour later the rest of the video is reported.
    progress = svc.video_progress_record(progress=progress, ranges=[[0, 300]], now=at(3660))

    assert progress.watched_ranges == [[0, 60]]
    assert PlausibilityFlag.objects.filter(reason=PlausibilityFlag.Reason.VIDEO).exists()


def test_video_watched_with_the_page_open_counts_up_to_double_speed(
    enrolment: Enrolment, video: Lesson
) -> None:
    progress = svc.lesson_open(enrolment=enrolment, lesson=video, now=at(0))
    for minute in range(1, 6):
        beat(progress, (minute - 1) * 60, minute * 60)
        svc.video_progress_record(progress=progress, ranges=[[0, minute * 60]], now=at(minute * 60))
    progress.refresh_from_db()
    assert progress.watched_seconds == 300

    svc.lesson_complete(progress=progress, by=None, now=at(300))

    progress.refresh_from_db()
    assert progress.status == LessonProgress.Status.COMPLETED
    assert not PlausibilityFlag.objects.exists()


def test_the_slack_of_a_report_cannot_be_added_up_by_reporting_often(
    enrolment: Enrolment, video: Lesson
) -> None:
    progress = svc.lesson_open(enrolment=enrolment, lesson=video, now=at(0))
    beat(progress, 0, 15)

    # One heartbeat's 15 s; then a script reports every second with no more heartbeats.
    for second in range(16, 76):
        svc.video_progress_record(progress=progress, ranges=[[0, second * 5]], now=at(second))

    progress.refresh_from_db()
    # 15 s at double speed and the 5 s slack once, not once per report.
    assert progress.watched_seconds == 35


def test_a_few_seconds_beyond_the_credit_are_dropped_without_a_flag(
    enrolment: Enrolment, video: Lesson
) -> None:
    progress = svc.lesson_open(enrolment=enrolment, lesson=video, now=at(0))
    beat(progress, 0, 15)

    # Played a little past the heartbeat, at double speed: sent again with the next report.
    svc.video_progress_record(progress=progress, ranges=[[0, 38]], now=at(16))

    progress.refresh_from_db()
    assert progress.watched_seconds == 35
    assert not PlausibilityFlag.objects.exists()
