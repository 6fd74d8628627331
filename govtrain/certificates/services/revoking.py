"""Revoking a certificate: its bit is set in the institute's status list, so that every
verifier (this platform's and anyone's who reads the list) sees it revoked, with the
date; the reason is kept here and shown on the platform's own verification page."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govtrain.accounts.models import User
from govtrain.audit.services import audit_record
from govtrain.certificates.models import Certificate
from govtrain.certificates.services import status
from govtrain.notifications.services import notify


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: User | None, reason: str) -> Certificate:
    """Revoke with a reason (required). The caller checks that `by` may; ValidationError
    for a revoked certificate or no reason, and nothing changes."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the certificate is revoked."))
    certificate = (
        # Only the certificate's row: PostgreSQL locks no nullable side of an outer join.
        Certificate.objects.select_for_update(of=("self",))
        .select_related("status_list", "employee__user")
        .get(pk=certificate.pk)
    )
    if certificate.is_revoked:
        raise ValidationError(_("This certificate is already revoked."))
    status.set_revoked(
        status_list=certificate.status_list, index=certificate.status_index, revoked=True
    )
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.revoked_by = by
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by", "updated_at"])
    audit_record(
        actor=by,
        action="certificates.revoked",
        target=certificate,
        before={"revoked": False},
        after={"revoked": True},
        reason=reason,
    )
    notify(
        users=[certificate.employee.user],
        message=gettext_lazy("Your certificate %(number)s was revoked: %(reason)s"),
        params={"number": certificate.number, "reason": reason},
        url=reverse("certificates:detail", args=[certificate.number]),
    )
    return certificate


def certificates_revoke_lapsed(*, enrolment_ids: list[int], by: User | None) -> int:
    """Revoke the certificates of enrolments that are no longer completed (a correction of
    attendance undid a completion). Joins the caller's transaction."""
    lapsed = Certificate.objects.filter(
        enrolment_id__in=enrolment_ids, revoked_at__isnull=True
    ).exclude(enrolment__status="completed")
    count = 0
    for certificate in lapsed:
        certificate_revoke(
            certificate=certificate,
            by=by,
            reason=_("The completion it certified was withdrawn after a correction."),
        )
        count += 1
    return count
