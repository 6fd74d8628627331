"""The one permission layer. Every view, API endpoint, task and command asks it.

A user's access is the union of their role assignments. Roles grant permissions
(`Perm`); organisation-scoped roles grant them only over employees whose office lies in
the scope. Everyone who is an employee is also a learner and sees their own record.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, reduce
from operator import or_
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Q

from govtrain.accounts.models import Role as Role
from govtrain.accounts.models import RoleAssignment, User

if TYPE_CHECKING:
    from govtrain.organisation.models import Office
    from govtrain.people.models import Employee


class Perm(enum.StrEnum):
    PEOPLE_VIEW = "people.view"  # see employees in scope
    PEOPLE_CHANGE = "people.change"  # edit employees in scope
    PEOPLE_IMPORT = "people.import"  # bulk import from the HR export
    ROLES_MANAGE = "roles.manage"
    AUDIT_VIEW = "audit.view"
    CATALOG_MANAGE = "catalog.manage"  # courses, batches, confirmations of the user's providers
    NOMINATE = "classroom.nominate"  # nominate and approve staff in scope
    ADMIN_SITE = "admin.site"
    LRS_MANAGE = "lrs.manage"  # issue xAPI credentials to other systems (state-wide)
    ASSESS_GRADE = "assessments.grade"  # grade quiz answers of the user's providers' courses


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.STATE_ADMIN: frozenset(Perm),
    Role.AUDITOR: frozenset({Perm.PEOPLE_VIEW, Perm.AUDIT_VIEW}),
    Role.HR_INTEGRATION: frozenset({Perm.PEOPLE_VIEW, Perm.PEOPLE_CHANGE, Perm.PEOPLE_IMPORT}),
    Role.NODAL_OFFICER: frozenset({Perm.PEOPLE_VIEW, Perm.PEOPLE_CHANGE, Perm.NOMINATE}),
    Role.COORDINATOR: frozenset({Perm.CATALOG_MANAGE, Perm.ASSESS_GRADE}),
    Role.FACULTY: frozenset({Perm.ASSESS_GRADE}),
    Role.PATHWAY_MANAGER: frozenset(),
}
# Roles whose permissions reach every employee rather than a part of the tree.
EVERYWHERE = {Role.STATE_ADMIN, Role.AUDITOR, Role.HR_INTEGRATION}


@dataclass(frozen=True)
class Access:
    user_id: int | None
    employee_id: int | None
    roles: frozenset[str] = frozenset()
    perms: frozenset[Perm] = frozenset()
    # Permissions granted over every employee (by a global role); the rest of `perms`
    # reach only the organisation scope below.
    everywhere: frozenset[Perm] = frozenset()
    departments: frozenset[int] = frozenset()
    districts: frozenset[int] = frozenset()
    local_bodies: frozenset[int] = frozenset()
    office_paths: tuple[str, ...] = ()
    providers: frozenset[int] = frozenset()

    @cached_property
    def assignments(self) -> tuple[RoleAssignment, ...]:
        """The role assignments themselves, for pages that name them (the dashboard);
        loaded on first use, as every other page needs only the facts above."""
        if self.user_id is None:
            return ()
        return tuple(
            RoleAssignment.objects.filter(user_id=self.user_id).select_related("office", "provider")
        )

    def can(self, perm: Perm) -> bool:
        """May the user do `perm` anywhere at all (for menus and the global actions)?"""
        return perm in self.perms

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_learner(self) -> bool:
        return self.employee_id is not None

    def office_q(self, perm: Perm, prefix: str = "") -> Q | None:
        """Offices where the user may do `perm`, as a filter (None: every office)."""
        if perm in self.everywhere:
            return None
        if perm not in self.perms:
            return Q(pk__in=[])
        parts = []
        if self.departments:
            parts.append(Q(**{f"{prefix}department_id__in": self.departments}))
        if self.districts:
            parts.append(Q(**{f"{prefix}district_id__in": self.districts}))
        if self.local_bodies:
            parts.append(Q(**{f"{prefix}local_body_id__in": self.local_bodies}))
        parts += [Q(**{f"{prefix}path__startswith": path}) for path in self.office_paths]
        return reduce(or_, parts) if parts else Q(pk__in=[])

    def covers_office(self, perm: Perm, office: Office) -> bool:
        """May the user do `perm` on things in `office`?"""
        if perm in self.everywhere:
            return True
        if perm not in self.perms:
            return False
        return (
            office.department_id in self.departments
            or office.district_id in self.districts
            or (office.local_body_id is not None and office.local_body_id in self.local_bodies)
            or any(office.path.startswith(path) for path in self.office_paths)
        )

    def covers_provider(self, perm: Perm, provider_id: int) -> bool:
        """May the user do `perm` on things of this provider (a course, a batch)?"""
        if perm in self.everywhere:
            return True
        return perm in self.perms and provider_id in self.providers

    def can_on_employee(self, perm: Perm, employee: Employee) -> bool:
        """May the user do `perm` on this employee (in scope, by one of their roles)?"""
        return self.covers_office(perm, employee.office)


ANONYMOUS = Access(user_id=None, employee_id=None)


_ACCESS_MEMO = "_govtrain_access"


def access_for(user: User | AnonymousUser) -> Access:
    """The user's access, computed once per request and kept on the user object."""
    if not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached: Access | None = getattr(user, _ACCESS_MEMO, None)
    if cached is not None:
        return cached
    with connection.cursor() as cursor:
        cursor.execute(facts_sql(), [user.pk])
        access = access_from_facts(user, cursor.fetchall())
    remember_access(user, access)
    return access


# The memos are attributes of the user instance, which lives as long as the request. They
# are set and dropped through setattr/delattr, which request.user's lazy wrapper passes on
# to the instance (its __dict__ would be the wrapper's own).


def remember_access(user: User, access: Access) -> None:
    """Keep the user's access on the instance for the rest of the request."""
    setattr(user, _ACCESS_MEMO, access)


def forget_access(user: User) -> None:
    """Drop the memo after the user's roles change."""
    if hasattr(user, _ACCESS_MEMO):
        delattr(user, _ACCESS_MEMO)


# The facts of every role assignment in one fixed statement: the permission layer runs on
# every page, and compiling the ORM query (a join to the office for its path) cost ten
# times what the database takes to answer it. Never cached across requests, so a role
# granted or revoked counts from the next request on. The signed-in user's facts come
# with the user (accounts.backends), through the same columns and joins.
FACT_COLUMNS = "a.role, a.department_id, a.district_id, a.local_body_id, o.path, a.provider_id"
_FACT_JOINS = "{assignment} a LEFT JOIN {office} o ON o.id = a.office_id"


def fact_joins() -> str:
    """The role assignments `a` and their offices `o`, for FACT_COLUMNS (join on a.user_id)."""
    from govtrain.organisation.models import Office

    return _FACT_JOINS.format(
        assignment=connection.ops.quote_name(RoleAssignment._meta.db_table),
        office=connection.ops.quote_name(Office._meta.db_table),
    )


def facts_sql() -> str:
    return f"SELECT {FACT_COLUMNS} FROM {fact_joins()} WHERE a.user_id = %s"  # noqa: S608 - names only


Fact = tuple[str, int | None, int | None, int | None, str | None, int | None]


def access_from_facts(user: User, rows: Sequence[Fact]) -> Access:
    """The access of FACT_COLUMNS' rows, one per role assignment of the user."""
    from govtrain.people.models import Employee

    try:
        # Loaded with the user by the authentication backend: no query on a page.
        employee_id: int | None = user.employee.pk
    except Employee.DoesNotExist:
        employee_id = None
    roles = frozenset(role for role, *_ in rows)
    perms = frozenset(p for role, *_ in rows for p in ROLE_PERMS.get(role, ()))
    everywhere = frozenset(
        p for role, *_ in rows if role in EVERYWHERE for p in ROLE_PERMS.get(role, ())
    )
    if user.is_superuser:
        perms = everywhere = frozenset(Perm)
    return Access(
        user_id=user.pk,
        employee_id=employee_id,
        roles=roles,
        perms=perms,
        everywhere=everywhere,
        departments=frozenset(row[1] for row in rows if row[1]),
        districts=frozenset(row[2] for row in rows if row[2]),
        local_bodies=frozenset(row[3] for row in rows if row[3]),
        office_paths=tuple(row[4] for row in rows if row[4] is not None),
        providers=frozenset(row[5] for row in rows if row[5]),
    )
