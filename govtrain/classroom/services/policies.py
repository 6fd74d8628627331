"""Approval policies: who approves nominations to a provider's batches, or one course's,
and how many days before the start nominations close."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.audit.services import audit_record
from govtrain.catalog.models import Course, Provider
from govtrain.catalog.services import catalog_changed
from govtrain.classroom.models import ApprovalPolicy, Step

# Steps are taken in this order; the institute always decides last.
ORDER = (Step.CONTROLLING_OFFICER, Step.DEPARTMENT, Step.INSTITUTE)


def _check(by: User, provider_id: int) -> None:
    if not access_for(by).covers_provider(Perm.CATALOG_MANAGE, provider_id):
        raise PermissionDenied(_("You do not manage this provider's catalog."))


@transaction.atomic
def approval_policy_set(
    *,
    by: User,
    steps: Sequence[str],
    lead_days: int,
    provider: Provider | None = None,
    course: Course | None = None,
) -> ApprovalPolicy:
    """Set the chain for a provider's batches, or for one course's (which then wins).

    Coordinators of the provider and state administrators (PermissionDenied); a bad
    chain raises ValidationError and nothing changes. Nominations already made keep the
    chain they started with.
    """
    if (provider is None) == (course is None):
        raise ValueError("a policy is for a provider or for a course")
    _check(by, course.provider_id if course is not None else provider.pk)  # type: ignore[union-attr]  # one of them is set
    chosen = [s.value for s in ORDER if s in set(steps) | {Step.INSTITUTE}]
    policy = ApprovalPolicy.objects.filter(provider=provider, course=course).first()
    before = {"steps": policy.steps, "lead_days": policy.lead_days} if policy else None
    policy = policy or ApprovalPolicy(provider=provider, course=course)
    policy.steps = chosen
    policy.lead_days = lead_days
    policy.full_clean()
    policy.save()
    catalog_changed()  # course pages show when nominations close
    after = {"steps": policy.steps, "lead_days": policy.lead_days}
    if before != after:
        audit_record(
            actor=by,
            action="approval_policy.set",
            target=policy,
            before=before,
            after=after,
        )
    return policy


@transaction.atomic
def approval_policy_remove(*, by: User, course: Course) -> None:
    """Drop a course's own chain: its batches follow the provider's again."""
    _check(by, course.provider_id)
    policy = ApprovalPolicy.objects.filter(course=course).first()
    if policy is not None:
        audit_record(
            actor=by,
            action="approval_policy.removed",
            target=policy,
            before={"steps": policy.steps, "lead_days": policy.lead_days},
        )
        policy.delete()
        catalog_changed()
