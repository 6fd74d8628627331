"""Granting and revoking roles, and a user's own preferences. Every grant is audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govtrain.accounts.access import Perm, access_for, forget_access
from govtrain.accounts.models import Role, RoleAssignment, User
from govtrain.audit.services import audit_record


def _snapshot(assignment: RoleAssignment) -> dict[str, object]:
    return {
        "user": assignment.user.username,
        "role": assignment.role,
        "scope": assignment.scope_label,
    }


@transaction.atomic
def role_assign(
    *, by: User, user: User, role: str, reason: str = "", **scope: object
) -> RoleAssignment:
    """Give `user` a role over a scope. State administrators only."""
    if not access_for(by).can(Perm.ROLES_MANAGE):
        raise PermissionDenied
    assignment = RoleAssignment(user=user, role=role, granted_by=by, **scope)
    assignment.full_clean()
    duplicate = RoleAssignment.objects.filter(
        user=user,
        role=role,
        **{
            f: getattr(assignment, f"{f}_id")
            for f in ("department", "district", "local_body", "office", "provider")
        },
    )
    if duplicate.exists():
        raise ValidationError(_("The user already has this role over this scope."))
    assignment.save()
    forget_access(user)
    audit_record(
        actor=by,
        action="role.assigned",
        target=assignment,
        after=_snapshot(assignment),
        reason=reason,
    )
    return assignment


@transaction.atomic
def role_revoke(*, by: User, assignment: RoleAssignment, reason: str = "") -> None:
    """Take a role away. The last state administrator cannot be removed."""
    if not access_for(by).can(Perm.ROLES_MANAGE):
        raise PermissionDenied
    assignment = (
        RoleAssignment.objects.select_for_update().select_related("user").get(pk=assignment.pk)
    )
    if (
        assignment.role == Role.STATE_ADMIN
        and RoleAssignment.objects.filter(role=Role.STATE_ADMIN).count() == 1
    ):
        raise ValidationError(_("This is the last state administrator; assign another first."))
    audit_record(
        actor=by,
        action="role.revoked",
        target=assignment,
        before=_snapshot(assignment),
        reason=reason,
    )
    assignment.delete()
    forget_access(assignment.user)


def user_set_language(*, user: User, language: str) -> None:
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."))
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
