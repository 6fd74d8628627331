import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from govtrain import testing as t
from govtrain.audit.models import AuditEvent
from govtrain.catalog.models import Course
from govtrain.learning import selectors
from govtrain.learning.models import Lesson, LessonProgress, PlausibilityFlag
from govtrain.learning.services import progress as svc
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


@pytest.fixture
def enrolment(learner_a: Employee, online_course: Course) -> Enrolment:
    assert learner_a.user is not None
    return svc.course_enrol(employee=learner_a, course=online_course, by=learner_a.user)


def beat(progress: LessonProgress, start: float, until: float, every: float = 15) -> int:
    """Heartbeats every `every` seconds from `start` (exclusive) to `until` (inclusive)."""
    credited, now = 0, start + every
    while now <= until:
        credited += svc.heartbeat_record(progress=progress, now=at(now))
        now += every
    return credited


def test_an_employee_enrols_in_a_published_online_course(enrolment: Enrolment) -> None:
    assert enrolment.status == Enrolment.Status.ENROLLED
    assert enrolment.batch is None


def test_no_one_enrols_someone_else(
    learner_a: Employee, officer_a: Employee, online_course: Course
) -> None:
    assert officer_a.user is not None
    with pytest.raises(PermissionDenied):
        svc.course_enrol(employee=learner_a, course=online_course, by=officer_a.user)

    assert not Enrolment.objects.exists()


def test_an_unpublished_or_classroom_course_is_not_open(learner_a: Employee) -> None:
    assert learner_a.user is not None
    draft = t.make_course("IMG-DRAFT", modality=Course.Modality.ONLINE, is_published=False)
    classroom = t.make_course("IMG-RTI")

    for course in (draft, classroom):
        with pytest.raises(ValidationError):
            svc.course_enrol(employee=learner_a, course=course, by=learner_a.user)
    assert not Enrolment.objects.exists()


def test_heartbeats_credit_the_real_interval(enrolment: Enrolment, page: Lesson) -> None:
    progress = svc.lesson_open(enrolment=enrolment, lesson=page, now=at(0))

    credited = beat(progress, 0, 120)

    progress.refresh_from_db()
    assert credited == progress.seconds_spent == 120


def test_a_script_beating_fast_earns_no_more_than_the_clock(
    enrolment: Enrolment, page: Lesson
) -> None:
    progress = svc.lesson_open(enrolment=enrolment, lesson=page, now=at(0))

    beat(progress, 0, 30, every=0.25)  # 120 heartbeats in 30 seconds

    progress.refresh_from_db()
    assert progress.seconds_spent == 30


def test_a_long_gap_is_credited_one_minute_at_most(enrolment: Enrolment, page: Lesson) -> None:
    progress = svc.lesson_open(enrolment=enrolment, lesson=page, now=at(0))

    assert svc.heartbeat_record(progress=progress, now=at(3600)) == svc.MAX_CREDIT_SECONDS


def test_a_page_visible_again_restarts_its_timing(enrolment: Enrolment, page: Lesson) -> None:
    progress = svc.lesson_open(enrolment=enrolment, lesson=page, now=at(0))

    assert svc.heartbeat_record(progress=progress, resumed=True, now=at(600)) == 0
    assert svc.heartbeat_record(progress=progress, now=at(615)) == 15


def test_two_tabs_at_once_earn_time_once_and_are_flagged(
    enrolment: Enrolment, page: Lesson, link: Lesson
) -> None:
    first = svc.lesson_open(enrolment=enrolment, lesson=page, now=at(0))
    second = svc.lesson_open(enrolment=enrolment, lesson=link, now=at(5))

    for now in range(15, 121, 15):
        svc.heartbeat_record(progress=first, now=at(now))
        svc.heartbeat_record(progress=second, now=at(now + 5))

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.seconds_spent + second.seconds_spent <= 120
    flag = PlausibilityFlag.objects.get()
    assert flag.reason == PlausibilityFlag.Reason.OVERLAP
    assert AuditEvent.objects.filter(action="learning.flagged").count() == 1


def test_the_coordinator_is_told_of_a_flag(
    enrolment: Enrolment, video: Lesson, coordinator: Employee
) -> None:
    from govtrain.notifications.models import Notification

    progress = svc.lesson_open(enrolment=enrolment, lesson=video, now=at(0))

    svc.video_progress_record(progress=progress, ranges=[[0, 300]], now=at(10))
    svc.video_progress_record(progress=progress, ranges=[[0, 300]], now=at(20))  # no repeat

    note = Notification.objects.get()
    assert note.user == coordinator.user
    assert "Anitha K.'s progress in Course IMG-EOFF was flagged" in str(note)


def test_a_lesson_cannot_be_done_before_its_minimum_time(
    enrolment: Enrolment, page: Lesson
) -> None:
    progress = svc.lesson_open(enrolment=enrolment, lesson=page, now=at(0))
    beat(progress, 0, 60)

    with pytest.raises(ValidationError, match="at least 2 min"):
        svc.lesson_complete(progress=progress, by=None, now=at(60))
    beat(progress, 60, 120)
    svc.lesson_complete(progress=progress, by=None, now=at(120))

    progress.refresh_from_db()
    assert progress.status == LessonProgress.Status.COMPLETED


def test_watched_ranges_merge_and_skipping_is_refused(enrolment: Enrolment, video: Lesson) -> None:
    progress = svc.lesson_open(enrolment=enrolment, lesson=video, now=at(0))
    beat(progress, 0, 100, every=10)
    svc.video_progress_record(progress=progress, ranges=[[0, 100]], now=at(100))
    beat(progress, 100, 180, every=10)
    svc.video_progress_record(progress=progress, ranges=[[90, 150], [280, 300]], now=at(180))

    progress.refresh_from_db()
    assert progress.watched_ranges == [[0, 150], [280, 300]]
    with pytest.raises(ValidationError, match="80% of the video; 56% so far"):
        svc.lesson_complete(progress=progress, by=None, now=at(180))


def test_more_video_than_time_passed_is_cut_and_flagged(
    enrolment: Enrolment, video: Lesson
) -> None:
    progress = svc.lesson_open(enrolment=enrolment, lesson=video, now=at(0))
    beat(progress, 0, 20, every=10)

    svc.video_progress_record(progress=progress, ranges=[[0, 300]], now=at(20))

    progress.refresh_from_db()
    # The 20 seconds the heartbeats credited, at double speed, and 5 seconds of slack.
    assert progress.watched_seconds == 45
    assert PlausibilityFlag.objects.get().reason == PlausibilityFlag.Reason.VIDEO


def test_nonsense_ranges_change_nothing(enrolment: Enrolment, video: Lesson) -> None:
    progress = svc.lesson_open(enrolment=enrolment, lesson=video, now=at(0))

    for bad in ("0-300", [[5, 1]], [[0, "9"]], [[-1, 4]], [[0, float("inf")]], [[True, 4]]):
        with pytest.raises(ValidationError):
            svc.video_progress_record(progress=progress, ranges=bad, now=at(100))

    progress.refresh_from_db()
    assert progress.watched_ranges == []


def test_finishing_a_module_faster_than_its_required_time_is_refused_and_flagged(
    enrolment: Enrolment, page: Lesson, link: Lesson
) -> None:
    # The link's module (Filing) requires one minute; its time came in 20 seconds from a
    # source the clock could not check (a race, an imported attempt).
    progress = svc.lesson_open(enrolment=enrolment, lesson=link, now=at(0))
    LessonProgress.objects.filter(pk=progress.pk).update(seconds_spent=60)

    with pytest.raises(svc.ImplausibleCompletion, match="1 min of required time finished in 20 s"):
        svc.lesson_complete(progress=progress, by=None, now=at(20))

    progress.refresh_from_db()
    assert progress.status == LessonProgress.Status.STARTED
    flag = PlausibilityFlag.objects.get()
    assert (flag.reason, flag.lesson, flag.module) == ("too_fast", link, link.module)


def test_completing_every_required_lesson_completes_the_course_with_its_hours(
    enrolment: Enrolment, page: Lesson, video: Lesson, link: Lesson
) -> None:
    video.is_required = False
    video.save()
    first = svc.lesson_open(enrolment=enrolment, lesson=page, now=at(0))
    beat(first, 0, 120)
    svc.lesson_complete(progress=first, by=None, now=at(120))
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED

    second = svc.lesson_open(enrolment=enrolment, lesson=link, now=at(130))
    beat(second, 130, 190)
    svc.lesson_complete(progress=second, by=None, now=at(190))

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.hours_credited == Decimal("4.0")
    assert enrolment.completed_on == timezone.localdate(at(190))
    assert AuditEvent.objects.filter(action="learning.lesson_completed").count() == 2
    assert AuditEvent.objects.filter(action="enrolment.completed").count() == 1


def test_the_learner_resumes_at_the_last_lesson_opened(
    enrolment: Enrolment, page: Lesson, video: Lesson, link: Lesson
) -> None:
    course = enrolment.course
    assert selectors.course_progress(course=course, enrolment=enrolment).resume == page

    svc.lesson_open(enrolment=enrolment, lesson=link, now=at(0))
    svc.lesson_open(enrolment=enrolment, lesson=video, now=at(60))

    state = selectors.course_progress(course=course, enrolment=enrolment)
    assert state.resume == video
    assert (state.required, state.done) == (3, 0)


def test_after_a_finished_lesson_the_learner_resumes_at_the_next_one_not_done(
    enrolment: Enrolment, page: Lesson, video: Lesson, link: Lesson
) -> None:
    course = enrolment.course
    for lesson, minute in ((page, 0), (link, 5), (video, 10)):
        svc.lesson_open(enrolment=enrolment, lesson=lesson, now=at(minute * 60))
    LessonProgress.objects.filter(lesson__in=[page, video]).update(
        status=LessonProgress.Status.COMPLETED, completed_at=at(900)
    )

    # The last one opened (the video) is done: the next not done is the link, before it.
    assert selectors.course_progress(course=course, enrolment=enrolment).resume == link


def test_a_lesson_of_another_course_cannot_be_opened(
    enrolment: Enrolment, coordinator: Employee
) -> None:
    other = t.make_course("IMG-OTHER", modality=Course.Modality.ONLINE)
    from govtrain.learning.models import Module

    module = Module.objects.create(course=other, title_en="M")
    lesson = Lesson.objects.create(module=module, kind=Lesson.Kind.LINK, title_en="L")

    with pytest.raises(ValidationError, match="not part of this course"):
        svc.lesson_open(enrolment=enrolment, lesson=lesson)


def test_the_way_through_the_course_is_recorded_as_xapi_statements(
    enrolment: Enrolment, link: Lesson
) -> None:
    from govtrain.lrs import services as lrs
    from govtrain.lrs.models import Statement

    progress = svc.lesson_open(enrolment=enrolment, lesson=link, now=at(0))
    beat(progress, 0, 60)
    svc.lesson_complete(progress=progress, by=None, now=at(60))

    statements = [json.loads(s.body) for s in Statement.objects.order_by("seq")]
    assert [(s["verb"]["id"].rsplit("/", 1)[1], s["object"]["id"]) for s in statements] == [
        ("registered", lrs.activity_iri("course", "IMG-EOFF")),
        ("launched", lrs.activity_iri("lesson", str(link.pk))),
        ("completed", lrs.activity_iri("lesson", str(link.pk))),
        ("completed", lrs.activity_iri("course", "IMG-EOFF")),
    ]
    assert statements[2]["result"] == {"completion": True, "duration": "PT60S"}
    assert statements[0]["actor"]["account"]["name"] == enrolment.employee.pen
