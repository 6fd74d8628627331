"""The one permission layer. Every view, API endpoint, task and command asks it.

A user's access is the union of their role assignments. Roles grant permissions
(`Perm`); organisation-scoped roles grant them only over employees whose office lies in
the scope. Everyone who is an employee is also a learner and sees their own record.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
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


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.STATE_ADMIN: frozenset(Perm),
    Role.AUDITOR: frozenset({Perm.PEOPLE_VIEW, Perm.AUDIT_VIEW}),
    Role.HR_INTEGRATION: frozenset({Perm.PEOPLE_VIEW, Perm.PEOPLE_CHANGE, Perm.PEOPLE_IMPORT}),
    Role.NODAL_OFFICER: frozenset({Perm.PEOPLE_VIEW, Perm.PEOPLE_CHANGE, Perm.NOMINATE}),
    Role.COORDINATOR: frozenset({Perm.CATALOG_MANAGE}),
    Role.FACULTY: frozenset(),
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
    assignments: tuple[RoleAssignment, ...] = field(default=(), compare=False, repr=False)

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


def access_for(user: User | AnonymousUser) -> Access:
    """The user's access, computed once per request and kept on the user object."""
    if not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached: Access | None = getattr(user, "_govtrain_access", None)
    if cached is not None:
        return cached
    access = _build_access(user)
    user.__dict__["_govtrain_access"] = access  # a per-request memo on the instance
    return access


def forget_access(user: User) -> None:
    """Drop the memo after the user's roles change."""
    user.__dict__.pop("_govtrain_access", None)


def _build_access(user: User) -> Access:
    from govtrain.people.models import Employee

    assignments = tuple(
        RoleAssignment.objects.filter(user=user).select_related("office", "provider")
    )
    try:
        # Loaded with the user by the authentication backend: no query on a page.
        employee_id: int | None = user.employee.pk
    except Employee.DoesNotExist:
        employee_id = None
    roles = frozenset(a.role for a in assignments)
    perms = frozenset(p for a in assignments for p in ROLE_PERMS.get(a.role, ()))
    everywhere = frozenset(
        p for a in assignments if a.role in EVERYWHERE for p in ROLE_PERMS.get(a.role, ())
    )
    if user.is_superuser:
        perms = everywhere = frozenset(Perm)
    return Access(
        user_id=user.pk,
        employee_id=employee_id,
        roles=roles,
        perms=perms,
        everywhere=everywhere,
        departments=frozenset(a.department_id for a in assignments if a.department_id),
        districts=frozenset(a.district_id for a in assignments if a.district_id),
        local_bodies=frozenset(a.local_body_id for a in assignments if a.local_body_id),
        office_paths=tuple(a.office.path for a in assignments if a.office is not None),
        providers=frozenset(a.provider_id for a in assignments if a.provider_id),
        assignments=assignments,
    )
