"""The demo's online learning: outlines with real lessons and learners' progress."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from govtrain import testing as t
from govtrain.accounts.models import User
from govtrain.catalog.models import Course
from govtrain.learning import demo
from govtrain.learning.demo import OUTLINES, build_online_learning
from govtrain.learning.models import Lesson, LessonProgress, Module
from govtrain.organisation.models import Office
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment
from govtrain.scorm.models import Package

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(db: None) -> dict[str, Course]:
    """The demo's online and blended courses, as govtrain.demo.reference lists them."""
    img, kila, ildm, nop = (t.make_provider(code) for code in ("IMG", "KILA", "ILDM", "NOP"))
    online = Course.Modality.ONLINE
    courses = {
        "NOP-DIGI": t.make_course("NOP-DIGI", provider=nop, modality=online),
        "IMG-RTI-OL": t.make_course("IMG-RTI-OL", provider=img, modality=online),
        "IMG-EFILE": t.make_course("IMG-EFILE", provider=img, modality=online),
        "IMG-POSH": t.make_course("IMG-POSH", provider=img, modality=online),
        "ILDM-DPREP": t.make_course("ILDM-DPREP", provider=ildm, modality=online),
        "KILA-KSMART-OL": t.make_course("KILA-KSMART-OL", provider=kila, modality=online),
        "IMG-RM": t.make_course(
            "IMG-RM", provider=img, modality=Course.Modality.BLENDED, hours=Decimal("120")
        ),
    }
    return courses


def test_the_demo_builds_lessons_and_progress(
    office_a: Office,
    admin: User,
    learner_a: Employee,
    coordinator: Employee,
    catalog: dict[str, Course],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(demo, "LEARNERS_PER_COURSE", 3)  # the demo's 24 take longer
    for n in range(30):
        t.make_employee(office_a, name=f"Clerk {n}")

    summary = build_online_learning(learner=learner_a)

    assert summary.courses == len(catalog)
    expected = sum(len(lessons) for o in OUTLINES.values() for _title, lessons in o)
    assert summary.lessons == Lesson.objects.count() == expected
    assert set(Package.objects.values_list("version", flat=True)) == {"1.2", "2004"}
    assert Lesson.objects.filter(kind=Lesson.Kind.SCORM).count() == 2
    assert summary.enrolled == 3 * 6  # six online courses
    assert 0 < summary.completed < summary.enrolled
    assert Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).count() == (
        summary.completed + 1  # the demo learner's finished course
    )
    mine = {e.course.code: e.status for e in Enrolment.objects.filter(employee=learner_a)}
    assert mine == {"ILDM-DPREP": "enrolled", "IMG-POSH": "completed"}
    half_way = LessonProgress.objects.filter(enrolment__course=catalog["ILDM-DPREP"])
    assert half_way.filter(enrolment__employee=learner_a).count() == 2


def test_every_outline_is_real_and_bilingual(
    admin: User, coordinator: Employee, catalog: dict[str, Course]
) -> None:
    build_online_learning()

    for code, course in catalog.items():
        modules = Module.objects.filter(course=course)
        assert 1 <= modules.count() <= 3, code
        assert all(m.title_ml for m in modules), code
        for lesson in Lesson.objects.filter(module__course=course):
            assert lesson.title_ml, lesson.title_en
            assert 60 <= lesson.min_seconds <= 300, lesson.title_en
            if lesson.kind == Lesson.Kind.PAGE:
                assert len(lesson.body_source) > 150, lesson.title_en
                assert lesson.body_html.strip(), lesson.title_en
            if lesson.kind == Lesson.Kind.LINK:
                assert lesson.link_url.startswith("https://"), lesson.title_en
    # KILA's course is taught in Malayalam: its pages are written in Malayalam.
    ksmart = Lesson.objects.filter(module__course=catalog["KILA-KSMART-OL"], kind="page")
    assert ksmart.count() == 6
    assert all(len(re.findall("[\u0d00-\u0d7f]", p.body_source)) > 150 for p in ksmart)


def test_running_the_demo_again_doubles_nothing(
    office_a: Office,
    admin: User,
    learner_a: Employee,
    coordinator: Employee,
    catalog: dict[str, Course],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(demo, "LEARNERS_PER_COURSE", 1)
    for n in range(5):
        t.make_employee(office_a, name=f"Clerk {n}")
    build_online_learning(learner=learner_a)
    before = (Lesson.objects.count(), Enrolment.objects.count(), LessonProgress.objects.count())

    again = build_online_learning(learner=learner_a)

    assert (again.courses, again.lessons, again.enrolled) == (0, 0, 0)
    after = (Lesson.objects.count(), Enrolment.objects.count(), LessonProgress.objects.count())
    assert after == before
