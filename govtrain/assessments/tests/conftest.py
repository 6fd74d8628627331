"""An online course of the coordinator's institute (IMG) on the RTI Act, its question bank
with one question of each kind, and the people around it: the learner enrolled, IMG's
faculty who grades, and KILA's coordinator and faculty who see none of it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from govtrain import testing as t
from govtrain.accounts.models import Role, User
from govtrain.assessments.models import Question, QuestionBank
from govtrain.assessments.tests.builders import bank_of, one_of_each
from govtrain.catalog.models import Course
from govtrain.learning.models import Lesson, Module
from govtrain.learning.services import progress
from govtrain.organisation.models import Office
from govtrain.people.models import Employee
from govtrain.records.models import Enrolment

T0 = dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def online_course(coordinator: Employee) -> Course:
    return t.make_course(
        "IMG-RTI-OL",
        title_en="Right to Information for public information officers",
        modality=Course.Modality.ONLINE,
        hours=Decimal("6"),
    )


@pytest.fixture
def author(coordinator: Employee) -> User:
    """IMG's coordinator, who builds the banks and quizzes of its courses."""
    assert coordinator.user is not None
    return coordinator.user


@pytest.fixture
def bank(online_course: Course, author: User) -> QuestionBank:
    return bank_of(online_course, author)


@pytest.fixture
def questions(bank: QuestionBank, author: User) -> dict[str, Question]:
    return one_of_each(bank, author)


@pytest.fixture
def module(online_course: Course) -> Module:
    return Module.objects.create(course=online_course, title_en="The Act", position=1)


@pytest.fixture
def reading(module: Module) -> Lesson:
    return Lesson.objects.create(
        module=module,
        position=1,
        kind=Lesson.Kind.PAGE,
        title_en="What the Act gives every citizen",
        body_source="Read this.",
        body_html="<p>Read this.</p>",
        min_seconds=0,
    )


@pytest.fixture
def enrolment(learner_a: Employee, online_course: Course) -> Enrolment:
    assert learner_a.user is not None
    return progress.course_enrol(employee=learner_a, course=online_course, by=learner_a.user)


@pytest.fixture
def faculty(office_a: Office) -> Employee:
    """IMG's faculty: grades its quizzes, builds nothing."""
    employee = t.make_employee(office_a, name="Meera R.")
    assert employee.user is not None
    t.grant(employee.user, Role.FACULTY, provider=t.make_provider("IMG"))
    return employee


@pytest.fixture
def other_coordinator(office_b: Office) -> Employee:
    """KILA's coordinator: sees nothing of IMG's banks, quizzes or results."""
    employee = t.make_employee(office_b, name="Joseph K.")
    assert employee.user is not None
    t.grant(employee.user, Role.COORDINATOR, provider=t.make_provider("KILA"))
    return employee


@pytest.fixture
def other_faculty(office_b: Office) -> Employee:
    """KILA's faculty: grades nothing of IMG's."""
    employee = t.make_employee(office_b, name="Lakshmi N.")
    assert employee.user is not None
    t.grant(employee.user, Role.FACULTY, provider=t.make_provider("KILA"))
    return employee
