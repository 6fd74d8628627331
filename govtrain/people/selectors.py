"""Reads of employees, always through the permission layer (404 outside one's scope)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.people.models import Cadre, Designation, Employee, ServiceClass


def employees_visible_to(*, user: User | AnonymousUser) -> QuerySet[Employee]:
    """Employees the user may see: their scope, plus always themselves."""
    access = access_for(user)
    employees = Employee.objects.all()
    scope = access.office_q(Perm.PEOPLE_VIEW, prefix="office__")
    if scope is None:
        return employees
    own = Q(pk=access.employee_id) if access.employee_id else Q(pk__in=[])
    return employees.filter(scope | own)


def employee_get_for(*, user: User | AnonymousUser, pk: int) -> Employee:
    """One employee the user may see, or 404 (not 403: no leaks about who exists)."""
    return get_object_or_404(
        employees_visible_to(user=user).select_related(
            "office__department",
            "office__district",
            "office__local_body",
            "designation",
            "service_class",
            "cadre",
            "controlling_officer",
            "user",
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class DirectoryFilters:
    q: str = ""
    department: int | None = None
    district: int | None = None
    designation: int | None = None
    service_class: int | None = None
    status: str = ""


def _prefix_range(field: str, prefix: str) -> Q:
    """Rows whose `field` starts with `prefix`, as a range the (field, pen) index serves.

    The end is the prefix with its last character stepped up ("an" -> "ao"), which holds
    under code-point and linguistic collations alike, unlike LIKE (case-insensitive on
    SQLite, needing a pattern_ops index on PostgreSQL) or a U+10FFFF sentinel (ignored by
    some collations).
    """
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})


def _is_malayalam(text: str) -> bool:
    return any("\u0d00" <= ch <= "\u0d7f" for ch in text)


def employees_search(
    *, user: User | AnonymousUser, filters: DirectoryFilters
) -> QuerySet[Employee]:
    """The people directory: the user's employees narrowed by search text and filters.

    Digits search PENs by prefix; Malayalam text searches Malayalam names, other text
    English names, by prefix. Ordered by name, then PEN, so that pages are stable.
    """
    employees = employees_visible_to(user=user)
    q = " ".join(filters.q.split()).lower()
    # One indexed range per query: an OR of two ranges makes SQLite scan the table.
    order = ("search_name", "pen")
    if q.isdigit():
        employees = employees.filter(_prefix_range("pen", q))
    elif _is_malayalam(q):
        employees = employees.filter(_prefix_range("name_ml", q))
        order = ("name_ml", "pen")
    elif q:
        employees = employees.filter(_prefix_range("search_name", q))
    if filters.department:
        employees = employees.filter(office__department_id=filters.department)
    if filters.district:
        employees = employees.filter(office__district_id=filters.district)
    if filters.designation:
        employees = employees.filter(designation_id=filters.designation)
    if filters.service_class:
        employees = employees.filter(service_class_id=filters.service_class)
    if filters.status:
        employees = employees.filter(status=filters.status)
    return employees.select_related(
        "designation", "office__department", "office__district", "service_class"
    ).order_by(*order)


def service_classes_all() -> QuerySet[ServiceClass]:
    return ServiceClass.objects.order_by("rank", "code")


def designations_all() -> QuerySet[Designation]:
    return Designation.objects.order_by("name_en")


def cadres_all() -> QuerySet[Cadre]:
    return Cadre.objects.order_by("name_en")


def reportees_of(*, employee: Employee) -> QuerySet[Employee]:
    return employee.reportees.select_related("designation").order_by("search_name")
