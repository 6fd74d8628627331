"""A learner's way through an online course: enrolling, opening lessons, the time and
video the server measures, completing lessons by their rules, and the course by its rule.

Completions feed appraisals, so nothing the page says is taken on trust: time comes from
heartbeats the server times itself (each credited at most the real interval since the
previous one, and never time already credited to another lesson in another tab), a
video's watched share from ranges capped by the time that passed, and a module or course
finished faster than its required time is refused and flagged for the coordinator.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govtrain.accounts.models import Role, User
from govtrain.assessments.selectors import (
    final_exams_exist,
    final_exams_pending,
    quiz_passed_by,
)
from govtrain.audit.services import audit_record
from govtrain.catalog.models import Course
from govtrain.learning import events
from govtrain.learning.models import (
    LearnerClock,
    Lesson,
    LessonProgress,
    PlausibilityFlag,
    ScormAttempt,
)
from govtrain.notifications.services import notify
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment
from govtrain.records.services import enrolment_complete, enrolment_open_in_course

# The page sends a heartbeat every LEARNING_HEARTBEAT_SECONDS (15) while it is visible.
# A heartbeat after a longer gap (a sleeping laptop, a lost connection) is credited at
# most MAX_CREDIT_SECONDS: the learner was not necessarily there.
MAX_CREDIT_SECONDS = 60
# Video may be watched at up to double speed; a little slack for the report's own delay.
MAX_PLAYBACK_RATE = 2
VIDEO_SLACK_SECONDS = 5
MAX_RANGES = 500

ACTIVE = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED)


class ImplausibleCompletion(ValidationError):
    """A completion refused because it came faster than the clock allows (flagged)."""


def heartbeat_seconds() -> int:
    """How often the lesson page reports that it is on screen (a setting, for tests)."""
    return int(getattr(settings, "LEARNING_HEARTBEAT_SECONDS", 15))


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


@transaction.atomic
def course_enrol(*, employee: Employee, course: Course, by: User) -> Enrolment:
    """An employee enrols themselves in a published online course (again, after a
    withdrawal); PermissionDenied for anyone else."""
    if employee.user_id != by.pk:
        raise PermissionDenied
    if not course.is_published or course.modality != Course.Modality.ONLINE:
        raise ValidationError(_("Only a published online course is open for enrolment."))
    existing = Enrolment.objects.filter(employee=employee, course=course, batch=None).first()
    enrolment = enrolment_open_in_course(employee=employee, course=course, by=by)
    if existing is None or existing.status == Enrolment.Status.WITHDRAWN:
        events.course_event(enrolment=enrolment, verb="registered")
    return enrolment


def _check_lesson_in_enrolment(enrolment: Enrolment, lesson: Lesson) -> None:
    if lesson.module.course_id != enrolment.course_id:
        raise ValidationError(_("The lesson is not part of this course."))
    if enrolment.status not in ACTIVE:
        raise ValidationError(_("Enrol in the course to take its lessons."))


@transaction.atomic
def lesson_open(
    *, enrolment: Enrolment, lesson: Lesson, now: dt.datetime | None = None
) -> LessonProgress:
    """The learner opened a lesson: it becomes where they resume, and its timing starts."""
    now = _now(now)
    _check_lesson_in_enrolment(enrolment, lesson)
    progress, created = LessonProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment,
        lesson=lesson,
        defaults={"first_opened_at": now, "last_opened_at": now, "last_heartbeat_at": now},
    )
    if not created:
        # A new viewing: time before it (the tab closed) is not the learner's.
        progress.last_opened_at = now
        progress.last_heartbeat_at = now
        progress.save(update_fields=["last_opened_at", "last_heartbeat_at", "updated_at"])
    events.lesson_event(enrolment=enrolment, lesson=lesson, verb="launched")
    return progress


def _flag(
    *,
    enrolment: Enrolment,
    reason: str,
    detail: str,
    lesson: Lesson | None = None,
    by: User | None = None,
) -> PlausibilityFlag:
    """One open flag per enrolment, lesson and reason: repeats add nothing but noise."""
    flag = PlausibilityFlag.objects.filter(
        enrolment=enrolment, lesson=lesson, reason=reason, resolved_at=None
    ).first()
    if flag is not None:
        return flag
    flag = PlausibilityFlag.objects.create(
        enrolment=enrolment,
        lesson=lesson,
        module=lesson.module if lesson is not None else None,
        reason=reason,
        detail=detail[:500],
    )
    audit_record(
        actor=by,
        action="learning.flagged",
        target=enrolment,
        after={"reason": reason, "lesson": lesson.pk if lesson else None, "detail": detail[:200]},
    )
    course = enrolment.course
    # In the coordinators' notifications, not their mail: one flag is a question, not an
    # emergency, and the flags page lists them all.
    notify(
        users=User.objects.filter(
            role_assignments__role=Role.COORDINATOR,
            role_assignments__provider_id=course.provider_id,
            is_active=True,
        ).distinct(),
        message=gettext_lazy("%(name)s's progress in %(course)s was flagged: %(reason)s"),
        params={
            "name": enrolment.employee.name_en,
            "course": course.title_en,
            "reason": PlausibilityFlag.Reason(flag.reason).label,
        },
        url=reverse("learning:flag-list"),
        email=False,
    )
    return flag


@transaction.atomic
def heartbeat_record(
    *, progress: LessonProgress, resumed: bool = False, now: dt.datetime | None = None
) -> int:
    """Credit the time since the lesson's previous heartbeat; returns the seconds credited.

    `resumed`: the page was hidden and is visible again, so timing restarts now and
    nothing is credited for the gap. Time already credited to another lesson (another tab
    visible at once) is refused and the enrolment flagged."""
    now = _now(now)
    enrolment = progress.enrolment
    # Lock the learner's clock first: their heartbeats from every tab queue here.
    # A new clock starts where this lesson's timing started: nothing is credited yet.
    clock, _created = LearnerClock.objects.select_for_update().get_or_create(
        employee_id=enrolment.employee_id,
        defaults={"credited_until": progress.last_heartbeat_at or now},
    )
    progress = LessonProgress.objects.select_for_update().get(pk=progress.pk)
    last = progress.last_heartbeat_at
    if resumed or last is None or now <= last:
        progress.last_heartbeat_at = max(now, last) if last else now
        progress.save(update_fields=["last_heartbeat_at", "updated_at"])
        return 0
    if clock.lesson_id not in (None, progress.lesson_id) and clock.credited_until > last:
        progress.last_heartbeat_at = now
        progress.save(update_fields=["last_heartbeat_at", "updated_at"])
        _flag(
            enrolment=enrolment,
            lesson=progress.lesson,
            reason=PlausibilityFlag.Reason.OVERLAP,
            detail=_("Time was reported from this lesson while “%(other)s” was open.")
            % {"other": clock.lesson.title_en if clock.lesson else ""},
        )
        return 0
    start = max(last, clock.credited_until)
    elapsed = (now - start).total_seconds()
    if elapsed <= 0:
        return 0
    if elapsed > MAX_CREDIT_SECONDS:
        credit = MAX_CREDIT_SECONDS
        progress.last_heartbeat_at = now
    else:
        # Whole seconds; the fraction carries over to the next heartbeat.
        credit = int(elapsed)
        progress.last_heartbeat_at = start + dt.timedelta(seconds=credit)
    progress.seconds_spent += credit
    progress.save(update_fields=["seconds_spent", "last_heartbeat_at", "updated_at"])
    clock.credited_until = max(clock.credited_until, progress.last_heartbeat_at)
    clock.lesson_id = progress.lesson_id
    clock.save(update_fields=["credited_until", "lesson", "updated_at"])
    return credit


Range = tuple[int, int]


def merge_ranges(ranges: Sequence[Sequence[int]]) -> list[Range]:
    """Sorted, non-overlapping ranges covering the same seconds (touching ones joined)."""
    merged: list[Range] = []
    for start, end in sorted((int(r[0]), int(r[1])) for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _length(ranges: Sequence[Range]) -> int:
    return sum(end - start for start, end in ranges)


def _uncovered(piece: Range, covered: Sequence[Range]) -> list[Range]:
    parts = [piece]
    for c_start, c_end in covered:
        next_parts = []
        for start, end in parts:
            if c_end <= start or c_start >= end:
                next_parts.append((start, end))
                continue
            if start < c_start:
                next_parts.append((start, c_start))
            if c_end < end:
                next_parts.append((c_end, end))
        parts = next_parts
    return parts


def _parse_ranges(raw: object, length: int) -> list[Range]:
    message = _("The watched ranges are not valid.")
    if not isinstance(raw, list) or len(raw) > MAX_RANGES:
        raise ValidationError(message)
    ranges = []
    for item in raw:
        if not (isinstance(item, list | tuple) and len(item) == 2):
            raise ValidationError(message)
        start, end = item
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (start, end)):
            raise ValidationError(message)
        if not (math.isfinite(start) and math.isfinite(end)) or start < 0 or end < start:
            raise ValidationError(message)
        # Inward rounding: a report never gains a fraction of a second.
        ranges.append((math.ceil(start), min(math.floor(end), length)))
    return [r for r in ranges if r[1] > r[0]]


@transaction.atomic
def video_progress_record(
    *, progress: LessonProgress, ranges: object, now: dt.datetime | None = None
) -> LessonProgress:
    """Merge the ranges of a video the page reports as watched. New seconds are accepted
    only up to what the time the server credited from heartbeats since the previous report
    allows (at double speed, plus a little slack); the rest is dropped and the enrolment
    flagged. With the page closed no heartbeat is credited, so nothing more is accepted."""
    now = _now(now)
    # The progress row only: the lesson's and the enrolment's are not this report's to hold
    # (lesson_complete locks the enrolment before the progress).
    progress = (
        LessonProgress.objects.select_for_update(of=("self",))
        .select_related("lesson", "enrolment")
        .get(pk=progress.pk)
    )
    lesson = progress.lesson
    if lesson.kind != Lesson.Kind.VIDEO:
        raise ValidationError(_("Only a video lesson reports what was watched."))
    length = lesson.video_seconds or 0
    new = merge_ranges(_parse_ranges(ranges, length)) if length else []
    old = [(int(a), int(b)) for a, b in progress.watched_ranges]
    # The credit is the heartbeats' (the page on screen), never the clock's: with the tab
    # closed nothing is credited, so nothing is accepted. The slack covers rounding and what
    # played since the last heartbeat; it is an advance on the heartbeats to come
    # (video_credit_used runs ahead), so quick reports cannot add it up.
    credited = progress.seconds_spent - progress.video_credit_used
    budget = credited * MAX_PLAYBACK_RATE + VIDEO_SLACK_SECONDS if credited > 0 else 0
    accepted: list[Range] = []
    clipped = 0
    for piece in new:
        for start, end in _uncovered(piece, old):
            take = min(end - start, budget)
            if take > 0:
                accepted.append((start, start + take))
                budget -= take
            clipped += (end - start) - max(take, 0)
    used = _length(accepted)
    merged = merge_ranges([*old, *accepted])
    progress.watched_ranges = [list(r) for r in merged]
    progress.watched_seconds = _length(merged)
    progress.ranges_reported_at = now
    progress.video_credit_used = max(
        progress.seconds_spent, progress.video_credit_used + math.ceil(used / MAX_PLAYBACK_RATE)
    )
    progress.save(
        update_fields=[
            "watched_ranges",
            "watched_seconds",
            "ranges_reported_at",
            "video_credit_used",
            "updated_at",
        ]
    )
    # A few seconds over are dropped without a flag: the page reports what played since its
    # last heartbeat, and sends the same seconds again next time.
    if clipped > VIDEO_SLACK_SECONDS:
        _flag(
            enrolment=progress.enrolment,
            lesson=lesson,
            reason=PlausibilityFlag.Reason.VIDEO,
            detail=_(
                "%(n)d seconds of video were reported beyond the time the lesson was on screen."
            )
            % {"n": clipped},
        )
    return progress


def watched_percent(progress: LessonProgress) -> int:
    length = progress.lesson.video_seconds
    if not length:
        return 0
    return min(100, progress.watched_seconds * 100 // length)


def unmet_requirements(progress: LessonProgress) -> list[str]:
    """Why the lesson cannot be marked done yet (empty: it can)."""
    lesson = progress.lesson
    problems = []
    if progress.seconds_spent < lesson.min_seconds:
        problems.append(
            _("Spend at least %(need)s on this lesson; %(spent)s so far.")
            % {"need": _duration(lesson.min_seconds), "spent": _duration(progress.seconds_spent)}
        )
    if lesson.kind == Lesson.Kind.VIDEO and watched_percent(progress) < lesson.min_watched_percent:
        problems.append(
            _("Watch at least %(need)d%% of the video; %(done)d%% so far.")
            % {"need": lesson.min_watched_percent, "done": watched_percent(progress)}
        )
    return problems


def _duration(seconds: int) -> str:
    minutes, secs = divmod(seconds, 60)
    if minutes and secs:
        return _("%(m)d min %(s)d s") % {"m": minutes, "s": secs}
    if minutes:
        return _("%(m)d min") % {"m": minutes}
    return _("%(s)d s") % {"s": secs}


def _implausible(
    enrolment: Enrolment, lessons: Sequence[Lesson], done: LessonProgress, now: dt.datetime
) -> str | None:
    """Would finishing `lessons` (a module's or the course's required ones), `done` being the
    last, come faster than their required time, or with more time than the clock allows?"""
    pks = [lesson.pk for lesson in lessons]
    if done.lesson_id not in pks:
        return None
    others = LessonProgress.objects.filter(enrolment=enrolment, lesson_id__in=pks).exclude(
        pk=done.pk
    )
    if others.filter(status=LessonProgress.Status.COMPLETED).count() != len(pks) - 1:
        return None  # this completion does not finish them
    required = sum(lesson.min_seconds for lesson in lessons)
    facts = others.aggregate(first=Min("first_opened_at"), spent=Sum("seconds_spent"))
    first = min(filter(None, [facts["first"], done.first_opened_at]))
    elapsed = int((now - first).total_seconds())
    spent = (facts["spent"] or 0) + done.seconds_spent
    if elapsed < required:
        return _("%(need)s of required time finished in %(took)s.") % {
            "need": _duration(required),
            "took": _duration(max(elapsed, 0)),
        }
    if spent > elapsed + MAX_CREDIT_SECONDS:
        return _("%(spent)s of time counted in %(took)s.") % {
            "spent": _duration(spent),
            "took": _duration(elapsed),
        }
    return None


def _required_lessons(**filters: object) -> list[Lesson]:
    return list(Lesson.objects.filter(is_required=True, **filters).order_by("pk"))


def course_rule_met(*, enrolment: Enrolment) -> bool:
    """The course's completion rule: every required lesson done (a quiz lesson is done when
    its quiz is passed), and every published final exam of the course passed at its pass
    mark (docs/assessments.md)."""
    required = Lesson.objects.filter(module__course_id=enrolment.course_id, is_required=True)
    total = required.count()
    if total == 0:
        # A course that is only its final exam completes when the exam is passed.
        return final_exams_exist(course_id=enrolment.course_id) and not final_exams_pending(
            enrolment=enrolment
        )
    done = LessonProgress.objects.filter(
        enrolment=enrolment, lesson__in=required, status=LessonProgress.Status.COMPLETED
    ).count()
    return done == total and final_exams_pending(enrolment=enrolment) == 0


def _scorm_result_completes(progress: LessonProgress) -> bool:
    """Has the package itself reported the lesson completed, and not failed, in the
    enrolment's latest attempt (services/scorm.py stores each commit before completing)?"""
    attempt = (
        ScormAttempt.objects.filter(
            enrolment_id=progress.enrolment_id, lesson_id=progress.lesson_id
        )
        .order_by("-number")
        .first()
    )
    return (
        attempt is not None
        and attempt.completion_status == "completed"
        and attempt.success_status != "failed"
    )


def _quiz_result_completes(progress: LessonProgress) -> bool:
    """Has the enrolment passed the lesson's quiz (a graded attempt at its pass mark)?"""
    return progress.lesson.quiz_id is not None and quiz_passed_by(
        enrolment_id=progress.enrolment_id, quiz_id=progress.lesson.quiz_id
    )


def lesson_complete(
    *, progress: LessonProgress, by: User | None, now: dt.datetime | None = None
) -> LessonProgress:
    """Mark a lesson done once its minimum time (and share watched) is met; complete the
    course when its rule is met. A SCORM lesson only when its package reported it completed
    and not failed (the commit path calls this after storing the commit); a quiz lesson
    only when its quiz has been passed (assessments calls `quiz_passed`). Raises
    ValidationError when a requirement is not met, and ImplausibleCompletion (after writing
    a flag for the coordinator) when finishing its module or the course would be faster
    than their required time."""
    now = _now(now)
    with transaction.atomic():
        # Lock the enrolment first, then the progress (always in this order): two lessons
        # of one enrolment completing at once must count each other's completion, or both
        # miss the course's. Only these rows ("self"): PostgreSQL would otherwise lock the
        # joined course and lesson too, and every learner's completion would queue on them.
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("course", "employee")
            .get(pk=progress.enrolment_id)
        )
        progress = (
            LessonProgress.objects.select_for_update(of=("self",))
            .select_related("lesson__module")
            .get(pk=progress.pk)
        )
        progress.enrolment = enrolment
        if progress.status == LessonProgress.Status.COMPLETED:
            return progress
        _check_lesson_in_enrolment(enrolment, progress.lesson)
        lesson = progress.lesson
        if lesson.kind == Lesson.Kind.SCORM and not _scorm_result_completes(progress):
            raise ValidationError(
                _("The package decides when this lesson is done: finish it in the player.")
            )
        if lesson.kind == Lesson.Kind.QUIZ and not _quiz_result_completes(progress):
            raise ValidationError(
                _("The quiz decides when this lesson is done: pass it to complete the lesson.")
            )
        problems = unmet_requirements(progress)
        if problems:
            raise ValidationError(problems)
        reason = _implausible(
            enrolment, _required_lessons(module_id=lesson.module_id), progress, now
        ) or _implausible(
            enrolment, _required_lessons(module__course_id=enrolment.course_id), progress, now
        )
        if reason is None:
            _mark_done(progress, by, now)
            return progress
    # Outside the refused transaction: the flag stays although the completion does not.
    with transaction.atomic():
        _flag(
            enrolment=enrolment,
            lesson=lesson,
            reason=PlausibilityFlag.Reason.TOO_FAST,
            detail=reason,
            by=by,
        )
    raise ImplausibleCompletion(
        _("This cannot be completed yet: %(reason)s Your coordinator has been told.")
        % {"reason": reason}
    )


def _mark_done(progress: LessonProgress, by: User | None, now: dt.datetime) -> None:
    enrolment = progress.enrolment
    progress.status = LessonProgress.Status.COMPLETED
    progress.completed_at = now
    progress.save(update_fields=["status", "completed_at", "updated_at"])
    audit_record(
        actor=by,
        action="learning.lesson_completed",
        target=progress,
        after={
            "lesson": progress.lesson_id,
            "seconds_spent": progress.seconds_spent,
            "watched_seconds": progress.watched_seconds,
        },
    )
    events.lesson_event(
        enrolment=enrolment,
        lesson=progress.lesson,
        verb="completed",
        result={"completion": True, "duration": f"PT{progress.seconds_spent}S"},
    )
    _complete_course_if_due(enrolment, by, now)


def _complete_course_if_due(enrolment: Enrolment, by: User | None, now: dt.datetime) -> None:
    """Complete an online enrolment (a blended one completes with its batch) whose course
    rule is met; the caller holds the enrolment's lock."""
    if (
        enrolment.batch_id is None
        and enrolment.status == Enrolment.Status.ENROLLED
        and course_rule_met(enrolment=enrolment)
    ):
        enrolment_complete(
            enrolment=enrolment,
            completed_on=timezone.localdate(now),
            by=by,
            reason=_("Every required lesson done."),
        )
        events.course_event(enrolment=enrolment, verb="completed", result={"completion": True})


def quiz_passed(
    *, enrolment: Enrolment, quiz_id: int, by: User | None, now: dt.datetime | None = None
) -> None:
    """The enrolment passed a quiz of its course (assessments calls this when an attempt is
    graded as passed, inside its transaction): each lesson that plays the quiz completes
    through `lesson_complete`, under the same rules as any lesson, and the course when its
    rule is now met (a final exam that is no lesson). A completion refused there (too fast:
    flagged) leaves the lesson to be marked done on its page later."""
    now = _now(now)
    lessons = Lesson.objects.filter(
        quiz_id=quiz_id, module__course_id=enrolment.course_id
    ).order_by("pk")
    for lesson in lessons:
        progress, _created = LessonProgress.objects.get_or_create(
            enrolment=enrolment,
            lesson=lesson,
            defaults={"first_opened_at": now, "last_opened_at": now, "last_heartbeat_at": now},
        )
        with contextlib.suppress(ValidationError):
            lesson_complete(progress=progress, by=by, now=now)
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("course", "employee")
            .get(pk=enrolment.pk)
        )
        _complete_course_if_due(enrolment, by, now)


@transaction.atomic
def flag_resolve(*, flag: PlausibilityFlag, by: User, note: str = "") -> PlausibilityFlag:
    """The coordinator has looked at a flag (the caller checks they manage the course)."""
    flag = PlausibilityFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.resolved_at is None:
        flag.resolved_at = timezone.now()
        flag.save(update_fields=["resolved_at", "updated_at"])
        audit_record(actor=by, action="learning.flag_resolved", target=flag.enrolment, reason=note)
    return flag
