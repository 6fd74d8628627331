"""Reads of accounts and role assignments."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import RoleAssignment, User


def role_assignments_visible_to(*, user: User) -> QuerySet[RoleAssignment]:
    """Everyone's roles for those who manage roles or audit; otherwise one's own."""
    assignments = RoleAssignment.objects.select_related(
        "user", "user__employee", "department", "district", "local_body", "office", "provider"
    ).order_by("role", "user__username")
    access = access_for(user)
    if access.can(Perm.ROLES_MANAGE) or access.can(Perm.AUDIT_VIEW):
        return assignments
    return assignments.filter(user=user)


def role_assignment_get_for_manager(*, user: User, pk: int) -> RoleAssignment:
    if not access_for(user).can(Perm.ROLES_MANAGE):
        raise PermissionDenied
    return get_object_or_404(RoleAssignment.objects.select_related("user"), pk=pk)
