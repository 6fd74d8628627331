"""The demo's logins, one per role, on real employees of the generated organisation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token

from govtrain.accounts.models import Role, RoleAssignment, User
from govtrain.catalog.models import Provider
from govtrain.organisation.models import Department, Office
from govtrain.people.models import Employee

DEMO_PASSWORD = "govtrain-demo"  # noqa: S105 - published demo password, demo data only
LEARNER_OFFICE, LEARNER_DESIGNATION = "REV-TVM-01-V", "VA"


@dataclass
class DemoLogin:
    role: str
    username: str
    who: str
    scope: str


def _first_in(office_prefix: str, designation: str | None = None) -> Employee:
    employees = Employee.objects.filter(
        office__code__startswith=office_prefix, status=Employee.Status.ACTIVE
    )
    if designation:
        employees = employees.filter(designation__code=designation)
    employee = employees.select_related("user", "office").order_by("pen").first()
    if employee is None:
        raise LookupError(f"no employee in {office_prefix}")
    return employee


def demo_learner() -> Employee | None:
    """The demo's learner login: the first Village Assistant of Thiruvananthapuram's first
    village office (PEN 9000029 in the standard demo), or None before the people exist."""
    try:
        return _first_in(LEARNER_OFFICE, LEARNER_DESIGNATION)
    except LookupError:
        return None


def _login(employee: Employee) -> User:
    user = employee.user
    if user is None:
        raise LookupError(f"{employee} has no login")
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    return user


def _grant(user: User, role: str, **scope: Any) -> None:
    RoleAssignment.objects.get_or_create(user=user, role=role, **scope)


@transaction.atomic
def create_demo_logins() -> tuple[list[DemoLogin], str]:
    """Give chosen employees their roles and the demo password; returns the logins and
    the API token of the HR system's service account."""
    logins: list[DemoLogin] = []
    img = Provider.objects.get(code="IMG")

    def add(role: str, employee: Employee, scope_label: str, **scope: Any) -> User:
        user = _login(employee)
        _grant(user, role, **scope)
        logins.append(
            DemoLogin(
                role, user.username, f"{employee.name_en}, {employee.designation}", scope_label
            )
        )
        return user

    admin = add(Role.STATE_ADMIN, _first_in("PARD-SEC"), "the whole state")
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    add(Role.AUDITOR, _first_in("FIN-SEC"), "read-only, everywhere")
    revenue = Department.objects.get(code="REV")
    add(Role.NODAL_OFFICER, _first_in("REV-DIR"), "Revenue department", department=revenue)
    health = Department.objects.get(code="HFW")
    add(
        Role.NODAL_OFFICER,
        _first_in("HFW-DIR"),
        "Health and Family Welfare department",
        department=health,
    )
    collectorate = Office.objects.get(code="REV-EKM")
    add(
        Role.NODAL_OFFICER,
        _first_in("REV-EKM"),
        "Collectorate Ernakulam and its offices",
        office=collectorate,
    )
    add(Role.COORDINATOR, _first_in("IMG-TVM"), "IMG", provider=img)
    staff = list(
        Employee.objects.filter(office__code__startswith="IMG-")
        .exclude(pk=_first_in("IMG-TVM").pk)
        .order_by("pen")[:2]
    )
    if len(staff) == 2:
        add(Role.FACULTY, staff[0], "IMG", provider=img)
        add(Role.PATHWAY_MANAGER, staff[1], "IMG (KAS induction)", provider=img)
    learner = _login(_first_in(LEARNER_OFFICE, LEARNER_DESIGNATION))
    logins.append(DemoLogin("learner", learner.username, str(learner.employee), "own record"))

    service, _created = User.objects.get_or_create(username="spark-sync")
    service.set_unusable_password()
    service.save()
    _grant(service, Role.HR_INTEGRATION)
    token, _created = Token.objects.get_or_create(user=service)
    return logins, token.key
