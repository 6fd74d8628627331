"""An online course of the coordinator's institute (IMG): two modules, three lessons."""

from decimal import Decimal

import pytest

from govtrain import testing as t
from govtrain.accounts.models import Role
from govtrain.catalog.models import Course
from govtrain.learning.models import Lesson, Module
from govtrain.organisation.models import Office
from govtrain.people.models import Employee


@pytest.fixture
def online_course(coordinator: Employee) -> Course:
    return t.make_course("IMG-EOFF", modality=Course.Modality.ONLINE, hours=Decimal("4"))


@pytest.fixture
def basics(online_course: Course) -> Module:
    return Module.objects.create(course=online_course, title_en="Basics", position=1)


@pytest.fixture
def filing(online_course: Course) -> Module:
    return Module.objects.create(course=online_course, title_en="Filing", position=2)


@pytest.fixture
def page(basics: Module) -> Lesson:
    return Lesson.objects.create(
        module=basics,
        position=1,
        kind=Lesson.Kind.PAGE,
        title_en="What e-office is",
        body_source="Read this.",
        body_html="<p>Read this.</p>",
        min_seconds=120,
    )


@pytest.fixture
def video(basics: Module) -> Lesson:
    return Lesson.objects.create(
        module=basics,
        position=2,
        kind=Lesson.Kind.VIDEO,
        title_en="A tour",
        video_url="https://example.org/tour.mp4",
        video_seconds=300,
        min_watched_percent=80,
        min_seconds=0,
    )


@pytest.fixture
def link(filing: Module) -> Lesson:
    return Lesson.objects.create(
        module=filing,
        position=1,
        kind=Lesson.Kind.LINK,
        title_en="The manual",
        link_url="https://example.org/manual",
        min_seconds=60,
    )


@pytest.fixture
def other_coordinator(office_b: Office) -> Employee:
    """A coordinator of another institute (KILA): sees nothing of IMG's courses."""
    employee = t.make_employee(office_b, name="Joseph K.")
    assert employee.user is not None
    t.grant(employee.user, Role.COORDINATOR, provider=t.make_provider("KILA"))
    return employee
