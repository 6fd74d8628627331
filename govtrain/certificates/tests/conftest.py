from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from govtrain import testing as t
from govtrain.catalog.models import Course
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment


def make_completion(employee: Employee, course: Course, on: dt.date | None = None) -> Enrolment:
    """A completed online enrolment, as records.services.enrolment_complete leaves it."""
    return Enrolment.objects.create(
        employee=employee,
        course=course,
        status=Enrolment.Status.COMPLETED,
        completed_on=on or dt.date(2026, 11, 20),
        hours_credited=course.hours,
    )


@pytest.fixture
def course(db: None) -> Course:
    provider = t.make_provider("IMG")
    provider.name_en = "Institute of Management in Government"
    provider.name_ml = "ഇൻസ്റ്റിറ്റ്യൂട്ട് ഓഫ് മാനേജ്മെന്റ് ഇൻ ഗവൺമെന്റ്"
    provider.website = "https://img.kerala.gov.in"
    provider.save()
    return t.make_course(
        "IMG-RTI-OL",
        provider=provider,
        title_en="RTI Act 2005 for public information officers",
        title_ml="വിവരാവകാശ നിയമം 2005",
        modality=Course.Modality.ONLINE,
        hours=Decimal("6"),
    )


@pytest.fixture
def completion(learner_a: Employee, course: Course) -> Enrolment:
    return make_completion(learner_a, course)
