"""Tiny builders for tests: a small organisation with two departments and their people."""

from __future__ import annotations

import itertools
from typing import Any

from govtrain.accounts.models import Role, RoleAssignment, User
from govtrain.catalog.models import Provider
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


__all__ = ["PASSWORD", "Role"]
