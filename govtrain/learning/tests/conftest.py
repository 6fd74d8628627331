"""An online course of the coordinator's institute (IMG): two modules, three lessons."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from govtrain import testing as t
from govtrain.accounts.models import Role, User
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


@pytest.fixture
def scorm_quiz(basics: Module) -> Lesson:
    """A SCORM 1.2 lesson without a minimum time: only its package's result counts."""
    import io

    from govtrain.scorm import samples
    from govtrain.scorm.services import package_import

    package = package_import(
        upload=io.BytesIO(samples.build("1.2")), by=None, provider=basics.course.provider
    )
    return Lesson.objects.create(
        module=basics, kind=Lesson.Kind.SCORM, title_en="Quiz", package=package, min_seconds=0
    )


@pytest.fixture
def author(coordinator: Employee) -> User:
    """The user who builds the online course (its provider's coordinator)."""
    assert coordinator.user is not None
    return coordinator.user


@pytest.fixture
def enrolled(client: Client, learner_a: Employee, online_course: Course) -> Client:
    """The learner's browser, logged in and enrolled in the online course."""
    assert learner_a.user is not None
    client.force_login(learner_a.user)
    client.post(reverse("learning:course-enrol", args=[online_course.pk]))
    return client
