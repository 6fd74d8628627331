"""Reads of the audit trail: auditors and state administrators only."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.audit.models import AuditEvent


def audit_events_visible_to(*, user: User) -> QuerySet[AuditEvent]:
    """Every event for auditors and administrators; PermissionDenied for anyone else."""
    if not access_for(user).can(Perm.AUDIT_VIEW):
        raise PermissionDenied
    return AuditEvent.objects.select_related("actor").order_by("-at", "-id")


def audit_events_for_target(
    *, user: User, target_type: str, target_id: str
) -> QuerySet[AuditEvent]:
    return audit_events_visible_to(user=user).filter(target_type=target_type, target_id=target_id)
