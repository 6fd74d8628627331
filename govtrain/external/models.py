"""External courses (MOOCs): where a course hosted by another institute is taken, and the
completion evidence an employee submits for a coordinator to verify."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govtrain.core.models import TimeStampedModel


class ExternalOffer(TimeStampedModel):
    """Where a catalog course of modality "external" is taken: the other institute's page.

    The fee, its currency and the hours are the course's own (catalog.Course)."""

    course = models.OneToOneField(
        "catalog.Course",
        on_delete=models.CASCADE,
        related_name="external_offer",
        verbose_name=_("course"),
    )
    url = models.URLField(
        _("course page at the institute"),
        max_length=500,
        help_text=_("Where employees enrol, on the other institute's site."),
    )

    class Meta:
        verbose_name = _("external course link")
        verbose_name_plural = _("external course links")

    def __str__(self) -> str:
        return f"{self.course_id} {self.url}"


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # Never the employee's file name: a random one, with the extension of what the content
    # is, under a folder that no URL serves (only external.views.evidence_file reads it).
    extension = EXTENSIONS[Evidence.Kind(instance.content_type)]
    return f"external/evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class Evidence(TimeStampedModel):
    """One submission of completion evidence for an external course's enrolment, and the
    coordinator's decision on it. A rejected submission stays as history; the employee
    submits a new one."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        PNG = "image/png", "PNG"
        JPEG = "image/jpeg", "JPEG"

    enrolment = models.ForeignKey(
        "records.Enrolment", on_delete=models.PROTECT, related_name="external_evidence"
    )
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    file = models.FileField(_("certificate"), upload_to=evidence_upload_to, max_length=200)
    # What the content was found to be (never what the upload claimed).
    content_type = models.CharField(_("file type"), max_length=30, choices=Kind.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    original_name = models.CharField(_("file name"), max_length=200)
    completed_on = models.DateField(_("completed on"))
    certificate_id = models.CharField(_("certificate number"), max_length=100, blank=True)
    certificate_url = models.URLField(_("certificate link"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("completion evidence")
        verbose_name_plural = _("completion evidence")
        constraints = [
            # One submission under way or accepted per enrolment: a new one only after a
            # rejection, so the same completion cannot be verified twice.
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(status__in=["submitted", "verified"]),
                name="evidence_one_live_per_enrolment",
            ),
            # One certificate counts once (it may be reimbursed): a file is verified for
            # one completion only. services.evidence_verify refuses a second one first,
            # under a lock; this is the backstop. (The same rule for the institute's
            # certificate number is the service's alone: the provider is the course's.)
            models.UniqueConstraint(
                fields=["sha256"],
                condition=Q(status="verified"),
                name="evidence_one_verified_per_file",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(decided_at__isnull=False),
                name="evidence_decision_has_a_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="evidence_rejection_has_a_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="evidence_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.status}"

    @property
    def download_name(self) -> str:
        """The file name offered on download: the employee's, with the extension of what
        the content is."""
        stem = self.original_name.rsplit(".", 1)[0] or "certificate"
        return f"{stem}.{EXTENSIONS[Evidence.Kind(self.content_type)]}"


EXTENSIONS = {
    Evidence.Kind.PDF: "pdf",
    Evidence.Kind.PNG: "png",
    Evidence.Kind.JPEG: "jpg",
}
