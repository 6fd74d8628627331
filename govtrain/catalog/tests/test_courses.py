"""Coordinators keep their own institute's catalog; every change is audited."""

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from govtrain import testing as t
from govtrain.accounts.models import User
from govtrain.audit.models import AuditEvent
from govtrain.catalog import selectors, services
from govtrain.catalog.models import Course, Provider, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def rti() -> Topic:
    return Topic.objects.create(code="RTI", name_en="Right to information", name_ml="വിവരാവകാശം")


def new_course(by: User, provider: Provider, topic: Topic, **fields: Any) -> Course:
    values = {
        "provider": provider,
        "code": "IMG-RTI",
        "title_en": "RTI for officers",
        "title_ml": "വിവരാവകാശ നിയമം",
        "topic": topic,
        "modality": "classroom",
        "hours": Decimal("12"),
        "languages": ["ml", "en"],
    }
    values.update(fields)
    return services.course_create(by=by, **values)


def test_coordinator_adds_a_course_that_stays_hidden_until_published(coordinator, rti) -> None:
    img = t.make_provider("IMG")

    course = new_course(
        coordinator.user,
        img,
        rti,
        target_designations=[t.make_designation("VO", "Village Officer")],
    )

    assert not selectors.courses_published().exists()
    assert [d.code for d in course.target_designations.all()] == ["VO"]
    services.course_publish(course=course, by=coordinator.user)
    assert list(selectors.courses_published()) == [course]
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "after"))
    assert actions[0][0] == "course.created"
    assert actions[1] == ("course.updated", {"is_published": True})


def test_coordinator_cannot_touch_another_institutes_catalog(coordinator, rti) -> None:
    kila = t.make_provider("KILA")

    with pytest.raises(PermissionDenied):
        new_course(coordinator.user, kila, rti)

    assert not Course.objects.exists()


def test_coordinator_cannot_hand_a_course_to_another_institute(coordinator, rti) -> None:
    course = new_course(coordinator.user, t.make_provider("IMG"), rti)

    with pytest.raises(PermissionDenied):
        services.course_update(course=course, by=coordinator.user, provider=t.make_provider("KILA"))

    course.refresh_from_db()
    assert course.provider.code == "IMG"


@pytest.mark.parametrize(
    ("field", "value"),
    [("languages", []), ("languages", ["xx"]), ("hours", Decimal("0")), ("fee", Decimal("-1"))],
)
def test_bad_course_values_are_refused(admin, rti, field, value) -> None:
    with pytest.raises(ValidationError):
        new_course(admin, t.make_provider("IMG"), rti, **{field: value})

    assert not Course.objects.exists()


def test_a_course_cannot_require_itself(admin, rti) -> None:
    course = new_course(admin, t.make_provider("IMG"), rti)

    with pytest.raises(ValidationError):
        services.course_update(course=course, by=admin, prerequisites=[course])


def test_officers_and_learners_manage_no_catalog(officer_a, learner_a, admin, rti) -> None:
    new_course(admin, t.make_provider("IMG"), rti)

    assert not selectors.courses_managed_by(user=officer_a.user).exists()
    assert not selectors.courses_managed_by(user=learner_a.user).exists()
    assert selectors.courses_managed_by(user=admin).count() == 1
