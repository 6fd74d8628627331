"""Reads of online learning: outlines, a learner's progress and where they resume, and
what authors and coordinators may reach. Outside one's scope a record is a 404."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.catalog.models import Course
from govtrain.learning.models import (
    CaptionTrack,
    Lesson,
    LessonProgress,
    Module,
    PlausibilityFlag,
    ScormAttempt,
)
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

AUTHORED = (Course.Modality.ONLINE, Course.Modality.BLENDED)
ACTIVE = (Enrolment.Status.ENROLLED, Enrolment.Status.COMPLETED)


def courses_authored_by(*, user: User) -> QuerySet[Course]:
    """Online and blended courses whose modules and lessons the user may build."""
    access = access_for(user)
    courses = Course.objects.filter(modality__in=AUTHORED).select_related("provider")
    if Perm.CATALOG_MANAGE in access.everywhere:
        return courses.order_by("code")
    if not access.can(Perm.CATALOG_MANAGE):
        return courses.none()
    return courses.filter(provider_id__in=access.providers).order_by("code")


def course_get_authored(*, user: User, pk: int) -> Course:
    return get_object_or_404(courses_authored_by(user=user), pk=pk)


def module_get_authored(*, user: User, pk: int) -> Module:
    return get_object_or_404(
        Module.objects.select_related("course__provider").filter(
            course__in=courses_authored_by(user=user)
        ),
        pk=pk,
    )


def lesson_get_authored(*, user: User, pk: int) -> Lesson:
    return get_object_or_404(
        Lesson.objects.select_related("module__course__provider").filter(
            module__course__in=courses_authored_by(user=user)
        ),
        pk=pk,
    )


def outline(*, course: Course) -> list[Module]:
    """The course's modules in order, each with its lessons in order (two queries)."""
    return list(
        Module.objects.filter(course=course)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch(
                "lessons",
                queryset=Lesson.objects.order_by("position", "pk"),
            )
        )
    )


def learner_course_get(*, pk: int) -> Course:
    """A published online or blended course: every employee may see its outline."""
    return get_object_or_404(
        Course.objects.select_related("provider"),
        pk=pk,
        is_published=True,
        modality__in=AUTHORED,
    )


def enrolment_of(*, employee: Employee, course: Course) -> Enrolment | None:
    """The employee's active enrolment in the course: the online one (no batch) before a
    blended course's batch enrolment."""
    enrolments = list(
        Enrolment.objects.filter(employee=employee, course=course, status__in=ACTIVE)
        .select_related("course", "employee")
        .order_by("pk")
    )
    enrolments.sort(key=lambda e: e.batch_id is not None)
    return enrolments[0] if enrolments else None


def lesson_for_learner(*, employee: Employee, pk: int) -> tuple[Lesson, Enrolment]:
    """A lesson of a published course the employee is enrolled in; else 404."""
    lesson = get_object_or_404(
        Lesson.objects.select_related("module__course__provider", "package", "quiz"),
        pk=pk,
        module__course__is_published=True,
    )
    enrolment = enrolment_of(employee=employee, course=lesson.module.course)
    if enrolment is None:
        raise Http404
    return lesson, enrolment


def progress_get(*, enrolment: Enrolment, lesson: Lesson) -> LessonProgress | None:
    return LessonProgress.objects.filter(enrolment=enrolment, lesson=lesson).first()


@dataclass
class ModuleProgress:
    module: Module
    lessons: list[tuple[Lesson, LessonProgress | None]] = field(default_factory=list)
    required: int = 0
    done: int = 0

    @property
    def percent(self) -> int:
        return self.done * 100 // self.required if self.required else 0


@dataclass
class CourseProgress:
    modules: list[ModuleProgress]
    resume: Lesson | None
    started: bool = False

    @property
    def required(self) -> int:
        return sum(m.required for m in self.modules)

    @property
    def done(self) -> int:
        return sum(m.done for m in self.modules)

    @property
    def percent(self) -> int:
        return self.done * 100 // self.required if self.required else 0


def course_progress(*, course: Course, enrolment: Enrolment | None) -> CourseProgress:
    """Per module and lesson, the learner's progress, and the lesson to resume: the last
    one opened while it is not done, else the next one not done after it (or before it),
    or the first lesson for a learner who has not started."""
    modules = outline(course=course)
    by_lesson: dict[int, LessonProgress] = {}
    if enrolment is not None:
        by_lesson = {p.lesson_id: p for p in LessonProgress.objects.filter(enrolment=enrolment)}
    rows = []
    lessons: dict[int, Lesson] = {}
    first: Lesson | None = None
    for module in modules:
        row = ModuleProgress(module=module)
        for lesson in module.lessons.all():
            first = first or lesson
            lessons[lesson.pk] = lesson
            progress = by_lesson.get(lesson.pk)
            row.lessons.append((lesson, progress))
            if lesson.is_required:
                row.required += 1
                if progress is not None and progress.status == LessonProgress.Status.COMPLETED:
                    row.done += 1
        rows.append(row)
    opened = list(by_lesson.values())
    last = max(opened, key=lambda p: p.last_opened_at) if opened else None
    resume = lessons.get(last.lesson_id) if last is not None else first
    if last is not None and last.status == LessonProgress.Status.COMPLETED:
        order = [lesson for row in rows for lesson, _progress in row.lessons]
        at = order.index(resume) if resume in order else 0
        resume = next(
            (lesson for lesson in order[at + 1 :] + order[:at] if not _done(by_lesson, lesson)),
            resume,
        )
    return CourseProgress(modules=rows, resume=resume, started=bool(opened))


def _done(by_lesson: dict[int, LessonProgress], lesson: Lesson) -> bool:
    progress = by_lesson.get(lesson.pk)
    return progress is not None and progress.status == LessonProgress.Status.COMPLETED


def learning_of(*, employee: Employee) -> tuple[list[Enrolment], list[Course]]:
    """The employee's online and blended courses, latest first, and (at most 50) published
    online courses they have not enrolled in."""
    enrolments = list(
        Enrolment.objects.filter(
            employee=employee, course__modality__in=AUTHORED, status__in=ACTIVE
        )
        .select_related("course")
        .order_by("-updated_at")
    )
    taken = {e.course_id for e in enrolments}
    open_courses = [
        course
        for course in Course.objects.filter(modality=Course.Modality.ONLINE, is_published=True)
        .select_related("provider")
        .order_by("title_en")[:50]
        if course.pk not in taken
    ]
    return enrolments, open_courses


def lesson_readable_by(*, user: User, employee: Employee | None, pk: int) -> Lesson:
    """A lesson whose files the user may read: an author of its course, or a learner
    enrolled in it. Http404 otherwise."""
    lesson = Lesson.objects.filter(pk=pk, module__course__in=courses_authored_by(user=user)).first()
    if lesson is not None:
        return lesson
    if employee is None:
        raise Http404
    return lesson_for_learner(employee=employee, pk=pk)[0]


def caption_of(*, lesson: Lesson, language: str) -> CaptionTrack | None:
    return CaptionTrack.objects.filter(lesson=lesson, language=language).first()


def flags_for(*, user: User, open_only: bool = True) -> QuerySet[PlausibilityFlag]:
    """Flags on the courses the user authors (coordinators of the provider, administrators)."""
    flags = PlausibilityFlag.objects.filter(
        enrolment__course__in=courses_authored_by(user=user)
    ).select_related("enrolment__employee", "enrolment__course", "lesson", "module")
    if open_only:
        flags = flags.filter(resolved_at=None)
    return flags.order_by("-created_at")


def flag_get_for(*, user: User, pk: int) -> PlausibilityFlag:
    return get_object_or_404(flags_for(user=user, open_only=False), pk=pk)


def scorm_attempt_latest(*, enrolment: Enrolment, lesson: Lesson) -> ScormAttempt | None:
    return (
        ScormAttempt.objects.filter(enrolment=enrolment, lesson=lesson).order_by("-number").first()
    )
