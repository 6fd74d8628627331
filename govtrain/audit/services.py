"""Record audit events. Call inside the service's transaction so the two commit together."""

from collections.abc import Mapping
from typing import Any

from django.db import models

from govtrain.accounts.models import User
from govtrain.audit.models import AuditEvent


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event; `before`/`after` hold only the fields that changed."""
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:200],
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
        reason=reason[:500],
    )


def audit_changes(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    reason: str = "",
) -> AuditEvent | None:
    """Append one event with the fields whose values differ between two snapshots of the
    target (None, and nothing written, when none does)."""
    keys = [key for key in after if after[key] != before.get(key)]
    if not keys:
        return None
    return audit_record(
        actor=actor,
        action=action,
        target=target,
        before={key: before.get(key) for key in keys},
        after={key: after[key] for key in keys},
        reason=reason,
    )


def audit_record_many(
    *,
    actor: User | None,
    action: str,
    targets: list[models.Model],
    after: Mapping[str, Any] | None = None,
    reason: str = "",
) -> None:
    """One event per target in a single insert, for bulk decisions (500 nominations)."""
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=actor,
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_label=str(target)[:200],
            after=dict(after) if after is not None else None,
            reason=reason[:500],
        )
        for target in targets
    )
