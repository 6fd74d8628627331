"""The demo's online learning: outlines with real lessons and learners' progress."""

from __future__ import annotations

from decimal import Decimal

import pytest

from govtrain import testing as t
from govtrain.accounts.models import User
from govtrain.catalog.models import Course
from govtrain.learning.demo import build_online_learning
from govtrain.learning.models import Lesson, LessonProgress
from govtrain.organisation.models import Office
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment
from govtrain.scorm.models import Package

pytestmark = pytest.mark.django_db


def test_the_demo_builds_lessons_and_progress(
    office_a: Office, admin: User, learner_a: Employee, coordinator: Employee
) -> None:
    for n in range(30):
        t.make_employee(office_a, name=f"Clerk {n}")
    provider = t.make_provider("IMG")
    t.make_course("NOP-DIGI", provider=provider, modality=Course.Modality.ONLINE)
    t.make_course(
        "IMG-RM", provider=provider, modality=Course.Modality.BLENDED, hours=Decimal("120")
    )

    summary = build_online_learning(learner=learner_a)

    assert summary.courses == 2
    assert set(Package.objects.values_list("version", flat=True)) == {"1.2", "2004"}
    assert Lesson.objects.filter(kind=Lesson.Kind.SCORM).count() == 2
    assert summary.enrolled == 24
    assert 0 < summary.completed < summary.enrolled
    assert Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).count() == summary.completed
    mine = LessonProgress.objects.filter(enrolment__employee=learner_a)
    assert mine.count() == 2
    assert build_online_learning().courses == 0  # run again: nothing doubled
