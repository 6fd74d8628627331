"""Writes to the people registry. Each change is checked against the permission layer
and written to the audit trail in the same transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.audit.services import audit_record
from govtrain.people.models import Employee

# Fields an editor may change, in the order forms and the API show them.
EDITABLE_FIELDS = (
    "name_en",
    "name_ml",
    "gender",
    "service_class",
    "cadre",
    "designation",
    "office",
    "date_of_joining",
    "status",
    "email",
    "phone",
    "controlling_officer",
)


def search_name_for(name_en: str) -> str:
    return " ".join(name_en.split()).lower()


def audit_value(value: Any) -> Any:
    """A JSON-friendly form of a field value for the audit trail."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _check_can_place(*, by: User, employee: Employee) -> None:
    access = access_for(by)
    if not access.can_on_employee(Perm.PEOPLE_CHANGE, employee):
        raise PermissionDenied(_("The office is outside your part of the organisation."))


def _check_controlling_officer(employee: Employee) -> None:
    officer = employee.controlling_officer
    if officer is None:
        return
    if employee.pk is not None and officer.pk == employee.pk:
        raise ValidationError({"controlling_officer": _("An employee cannot control themselves.")})
    if not officer.is_serving:
        raise ValidationError(
            {"controlling_officer": _("The controlling officer must be in service.")}
        )


def _sync_account(employee: Employee) -> None:
    """Every employee has a login named by PEN; it works only while they are in service."""
    if employee.user is None:
        user = User(username=employee.pen, is_active=employee.is_serving)
        user.set_unusable_password()
        user.save()
        employee.user = user
    elif employee.user.is_active != employee.is_serving:
        employee.user.is_active = employee.is_serving
        employee.user.save(update_fields=["is_active"])


@transaction.atomic
def employee_create(*, by: User, **fields: Any) -> Employee:
    """Register an employee in an office the user may change; creates their login."""
    employee = Employee(**fields)
    if employee.email:
        employee.email = BaseUserManager.normalize_email(employee.email)
    employee.search_name = search_name_for(employee.name_en)
    employee.full_clean(exclude=["user"])
    _check_controlling_officer(employee)
    _check_can_place(by=by, employee=employee)
    _sync_account(employee)
    employee.save()
    audit_record(
        actor=by,
        action="employee.created",
        target=employee,
        after={f: audit_value(getattr(employee, f)) for f in ("pen", *EDITABLE_FIELDS)},
    )
    return employee


@transaction.atomic
def employee_update(*, employee: Employee, by: User, reason: str = "", **changes: Any) -> Employee:
    """Change an employee the user may change, keeping them inside the user's scope.

    Raises PermissionDenied if either the current or the new office is out of scope, and
    ValidationError on bad values; nothing is written in either case.
    """
    employee = (
        Employee.objects.select_for_update(of=("self",))
        .select_related("office", "user")
        .get(pk=employee.pk)
    )
    _check_can_place(by=by, employee=employee)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in changes.items():
        old = getattr(employee, name)
        if audit_value(old) != audit_value(value):
            before[name], after[name] = audit_value(old), audit_value(value)
            setattr(employee, name, value)
    if not after:
        return employee
    employee.search_name = search_name_for(employee.name_en)
    employee.full_clean(exclude=["user"])
    _check_controlling_officer(employee)
    _check_can_place(by=by, employee=employee)
    _sync_account(employee)
    employee.save()
    audit_record(
        actor=by,
        action="employee.updated",
        target=employee,
        before=before,
        after=after,
        reason=reason,
    )
    return employee
