"""Demo data of online learning: modules and lessons with real text for every published
online and blended course, the two sample SCORM packages (1.2 and 2004) as lessons, and a
history of learners' progress, written through the same services as the pages. Meant to
be called by `govtrain seed_demo` after the catalog and the people exist."""

from __future__ import annotations

import datetime as dt
import io
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from govtrain.accounts.models import Role, User
from govtrain.catalog.models import Course
from govtrain.learning.models import Lesson, Module
from govtrain.learning.services import authoring, progress, scorm
from govtrain.notifications.services import emails_muted
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment
from govtrain.scorm import samples
from govtrain.scorm.models import Package
from govtrain.scorm.services import package_import

SEED = 5

# (module title, [(kind, title, minimum seconds, text or link)]) per course; a course not
# listed gets GENERIC. The text is short but real: what a learner reads on a phone.
PAGE, LINK, SCORM = Lesson.Kind.PAGE, Lesson.Kind.LINK, Lesson.Kind.SCORM
Outline = list[tuple[str, list[tuple[str, str, int, str]]]]

DIGITAL: Outline = [
    (
        "Working safely online",
        [
            (
                PAGE,
                "Passwords and two-factor sign-in",
                180,
                "## Why it matters\n\nAn official account opens files, salaries and citizens' "
                "records. A password that is used elsewhere is only as safe as the weakest "
                "site that stores it.\n\n## What to do\n\n- Use a long pass-phrase for each "
                "official system.\n- Turn on two-factor sign-in wherever the system offers "
                "it.\n- Never share an OTP, even with a colleague or a caller who says they "
                "are from the IT cell.",
            ),
            (
                PAGE,
                "Spotting a phishing message",
                180,
                "A phishing message imitates a known sender to make you click or pay.\n\n"
                "1. Check the sender's address, not just the name shown.\n2. Hover over a "
                'link before you open it: does it go where it says?\n3. Urgency ("your '
                'account will be closed today") is a warning sign.\n\nReport suspicious '
                "mail to your department's IT nodal officer.",
            ),
            (LINK, "CERT-In security tips", 60, "https://www.cert-in.org.in/"),
        ],
    ),
    (
        "Documents and data",
        [
            (
                PAGE,
                "Files that others can open",
                120,
                "Send documents as PDF when the reader only needs to read them, and in an "
                "open format (ODF) when they must edit. Name files so that they sort: "
                "`2026-11-02 Circular on leave.pdf`.",
            ),
            (SCORM, "Check yourself: RTI basics (SCORM 2004)", 120, "2004"),
        ],
    ),
]

RESEARCH: Outline = [
    (
        "Before the classroom weeks",
        [
            (
                PAGE,
                "Framing a research question",
                300,
                "A good question is **specific**, **answerable with data you can get**, and "
                "**useful to a decision-maker**.\n\n| weak | better |\n| --- | --- |\n| Is "
                "the scheme working? | Did enrolment in the scheme rise in the blocks that "
                "held camps in 2025? |",
            ),
            (
                PAGE,
                "Sampling in a nutshell",
                300,
                "When you cannot ask everyone, ask a random sample. A sample of 400 gives a "
                "margin of error of about 5 percentage points, whatever the population's "
                "size.",
            ),
            (SCORM, "Quiz: the RTI Act (SCORM 1.2)", 120, "1.2"),
        ],
    ),
]

GENERIC: Outline = [
    (
        "Introduction",
        [
            (
                PAGE,
                "About this course",
                120,
                "This course is self-paced. Each lesson shows how long it needs; your "
                "progress is saved as you go, and you can resume from any device.",
            ),
        ],
    ),
]

OUTLINES: dict[str, Outline] = {"NOP-DIGI": DIGITAL, "IMG-RM": RESEARCH}


@dataclass
class Summary:
    courses: int = 0
    lessons: int = 0
    enrolled: int = 0
    completed: int = 0


def _author(course: Course) -> User:
    """A coordinator of the course's provider, else a state administrator."""
    user = (
        User.objects.filter(
            role_assignments__role=Role.COORDINATOR,
            role_assignments__provider_id=course.provider_id,
        )
        .order_by("pk")
        .first()
    )
    return user or User.objects.filter(role_assignments__role=Role.STATE_ADMIN).order_by("pk")[0]


def _package(course: Course, version: str, by: User) -> Package:
    existing = Package.objects.filter(provider=course.provider, version=version).first()
    if existing is not None:
        return existing
    return package_import(
        upload=io.BytesIO(samples.build(version)), by=by, provider=course.provider
    )


def _build_outline(course: Course, by: User, summary: Summary) -> None:
    for title, lessons in OUTLINES.get(course.code, GENERIC):
        module = authoring.module_create(course=course, title_en=title, by=by)
        for kind, lesson_title, seconds, content in lessons:
            data = authoring.LessonInput(kind=kind, title_en=lesson_title, min_seconds=seconds)
            if kind == PAGE:
                data.body_source = content
            elif kind == LINK:
                data.link_url = content
            else:
                data.package_id = _package(course, content, by).pk
            authoring.lesson_save(module=module, data=data, by=by)
            summary.lessons += 1


def _play(enrolment: Enrolment, lesson: Lesson, now: dt.datetime) -> None:
    """The player's last commit of a package played to the end (docs/scorm.md)."""
    attempt = scorm.scorm_attempt_current(enrolment=enrolment, lesson=lesson)
    minutes = lesson.min_seconds // 60 + 1
    cmi_2004 = {
        "completion_status": "completed",
        "success_status": "passed",
        "score": {"scaled": "0.67", "raw": "2", "min": "0", "max": "3"},
        "location": "page-2",
        "suspend_data": "page=2",
        "session_time": f"PT{minutes}M",
        "total_time": f"PT{minutes}M",
        "exit": "normal",
    }
    cmi_12 = {
        "core": {
            "lesson_status": "passed",
            "lesson_location": "page-2",
            "score": {"raw": "67", "min": "0", "max": "100"},
            "session_time": f"00:{minutes:02d}:00",
            "total_time": f"00:{minutes:02d}:00",
            "exit": "",
        },
        "suspend_data": "page=2",
    }
    version = lesson.package.version if lesson.package else "2004"
    body = {
        "attempt": str(attempt.pk),
        "sequence": attempt.last_sequence + 1,
        "finished": True,
        "cmi": cmi_12 if version == "1.2" else cmi_2004,
    }
    scorm.scorm_commit(
        enrolment=enrolment, lesson=lesson, body=body, by=enrolment.employee.user, now=now
    )


def _take(enrolment: Enrolment, lessons: list[Lesson], start: dt.datetime) -> dt.datetime:
    """The learner reads `lessons` one after another from `start`, each for its minimum
    time plus a little, beating every 15 seconds as the page does."""
    now = start
    for lesson in lessons:
        row = progress.lesson_open(enrolment=enrolment, lesson=lesson, now=now)
        for _ in range(lesson.min_seconds // 15 + 2):
            now += dt.timedelta(seconds=15)
            progress.heartbeat_record(progress=row, now=now)
        if lesson.kind == Lesson.Kind.SCORM:
            _play(enrolment, lesson, now)
        else:
            progress.lesson_complete(progress=row, by=enrolment.employee.user, now=now)
        now += dt.timedelta(minutes=2)
    return now


@transaction.atomic
def build_online_learning(*, learner: Employee | None = None, seed: int = SEED) -> Summary:
    """Outlines for the published online and blended courses that have none, and a few
    dozen employees' progress in the online ones (some finished, some half-way). The demo
    `learner` is left enrolled half-way through the first online course, to resume."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable demo, not a secret
    summary = Summary()
    courses = list(
        Course.objects.filter(
            is_published=True, modality__in=[Course.Modality.ONLINE, Course.Modality.BLENDED]
        )
        .select_related("provider")
        .order_by("code")
    )
    built: list[Course] = []
    with emails_muted():
        for course in courses:
            if Module.objects.filter(course=course).exists():
                continue  # built before: running the demo again doubles nothing
            _build_outline(course, _author(course), summary)
            summary.courses += 1
            built.append(course)
        staff = list(
            Employee.objects.filter(status=Employee.Status.ACTIVE)
            .exclude(user=None)
            .exclude(pk__in=[learner.pk] if learner else [])
            .select_related("user")
            .order_by("pen")[:500]
        )
        for course in (c for c in built if c.modality == Course.Modality.ONLINE):
            lessons = [
                lesson
                for module in Module.objects.filter(course=course).order_by("position")
                for lesson in module.lessons.order_by("position")
            ]
            for employee in rng.sample(staff, min(len(staff), 24)):
                if employee.user is None:
                    continue
                enrolment = progress.course_enrol(
                    employee=employee, course=course, by=employee.user
                )
                summary.enrolled += 1
                start = timezone.now() - dt.timedelta(days=rng.randint(2, 120))
                _take(enrolment, lessons[: rng.randint(1, len(lessons))], start)
                enrolment.refresh_from_db()
                summary.completed += enrolment.status == Enrolment.Status.COMPLETED
            if learner is not None and learner.user is not None:
                enrolment = progress.course_enrol(employee=learner, course=course, by=learner.user)
                _take(enrolment, lessons[:2], timezone.now() - dt.timedelta(days=3))
                learner = None  # one course half-way is enough to show "Resume"
    return summary
