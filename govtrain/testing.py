"""Tiny builders for tests: a small organisation with two departments and their people."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from govtrain.accounts.models import Role, RoleAssignment, User
from govtrain.catalog.models import Centre, Course, Provider, Topic, Venue
from govtrain.classroom.models import Batch, Session
from govtrain.organisation.models import Department, District, LocalBody, Office
from govtrain.organisation.services import office_create
from govtrain.people.models import Designation, Employee, ServiceClass

PASSWORD = "correct-horse-battery"  # noqa: S105 - test fixture password
_pens = itertools.count(8100001)


def make_district(code: str = "TVM", name: str = "Thiruvananthapuram") -> District:
    return District.objects.get_or_create(code=code, defaults={"name_en": name})[0]


def make_department(code: str, name: str | None = None) -> Department:
    return Department.objects.get_or_create(code=code, defaults={"name_en": name or code})[0]


def make_office(
    code: str,
    *,
    department: Department,
    district: District | None = None,
    parent: Office | None = None,
    local_body: LocalBody | None = None,
) -> Office:
    return office_create(
        code=code,
        name_en=f"Office {code}",
        department=department,
        district=district or make_district(),
        parent=parent,
        local_body=local_body,
    )


def make_service_class(code: str = "SUB", group: str = "C") -> ServiceClass:
    return ServiceClass.objects.get_or_create(
        code=code, defaults={"name_en": f"Class {code}", "national_group": group}
    )[0]


def make_designation(code: str = "CLK", name: str = "Clerk") -> Designation:
    return Designation.objects.get_or_create(code=code, defaults={"name_en": name})[0]


def make_employee(
    office: Office,
    *,
    name: str = "Anitha K.",
    name_ml: str = "അനിത കെ.",
    login: bool = True,
    **fields: Any,
) -> Employee:
    pen = fields.pop("pen", None) or str(next(_pens))
    user = None
    if login:
        user = User.objects.create_user(username=pen, password=PASSWORD)
    employee = Employee.objects.create(
        pen=pen,
        name_en=name,
        name_ml=name_ml,
        search_name=name.lower(),
        service_class=fields.pop("service_class", None) or make_service_class(),
        designation=fields.pop("designation", None) or make_designation(),
        office=office,
        user=user,
        **fields,
    )
    return employee


def grant(user: User, role: str, **scope: Any) -> RoleAssignment:
    return RoleAssignment.objects.create(user=user, role=role, **scope)


def make_provider(code: str = "IMG") -> Provider:
    return Provider.objects.get_or_create(
        code=code, defaults={"name_en": code, "kind": Provider.Kind.STATE_INSTITUTE}
    )[0]


def make_topic(code: str = "RTI", name: str = "Right to information") -> Topic:
    return Topic.objects.get_or_create(code=code, defaults={"name_en": name})[0]


def make_venue(
    provider: Provider | None = None,
    *,
    centre_code: str = "IMG-TVM",
    code: str = "SC1",
    capacity: int = 40,
) -> Venue:
    centre = Centre.objects.get_or_create(
        code=centre_code,
        defaults={
            "provider": provider or make_provider(),
            "name_en": f"Centre {centre_code}",
            "district": make_district(),
        },
    )[0]
    return Venue.objects.get_or_create(
        centre=centre,
        code=code,
        defaults={"name_en": f"Room {code}", "kind": Venue.Kind.CLASSROOM, "capacity": capacity},
    )[0]


def make_course(
    code: str = "IMG-RTI", *, provider: Provider | None = None, **fields: Any
) -> Course:
    values: dict[str, Any] = {
        "provider": provider or make_provider(),
        "title_en": f"Course {code}",
        "topic": make_topic(),
        "modality": Course.Modality.CLASSROOM,
        "hours": Decimal("12"),
        "languages": ["ml", "en"],
        "is_published": True,
    }
    values.update(fields)
    return Course.objects.get_or_create(code=code, defaults=values)[0]


def make_batch(
    course: Course | None = None,
    *,
    code: str = "RTI-01",
    starts_on: dt.date | None = None,
    days: int = 3,
    capacity: int = 30,
    venue: Venue | None = None,
    sessions_per_day: int = 2,
    **fields: Any,
) -> Batch:
    """A scheduled batch a month from now, open for nominations today, with a timetable."""
    course = course or make_course()
    venue = venue or make_venue(course.provider)
    starts_on = starts_on or timezone.localdate() + dt.timedelta(days=30)
    values: dict[str, Any] = {
        "course": course,
        "code": code,
        "centre": venue.centre,
        "venue": venue,
        "starts_on": starts_on,
        "ends_on": starts_on + dt.timedelta(days=days - 1),
        "capacity": capacity,
        "nominations_open_on": timezone.localdate() - dt.timedelta(days=1),
        "nominations_close_on": starts_on - dt.timedelta(days=7),
    }
    values.update(fields)
    batch = Batch.objects.create(**values)
    slots = [(dt.time(10, 0), dt.time(13, 0)), (dt.time(14, 0), dt.time(17, 0))]
    for day in range(days):
        for starts_at, ends_at in slots[:sessions_per_day]:
            Session.objects.create(
                batch=batch,
                date=starts_on + dt.timedelta(days=day),
                starts_at=starts_at,
                ends_at=ends_at,
                title=f"Day {day + 1}",
            )
    return batch


__all__ = ["PASSWORD", "Role"]
