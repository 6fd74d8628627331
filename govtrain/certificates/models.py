"""Certificates and what signs them: the institutes' keys, their templates, the status
lists that say which certificates are revoked, and bulk issuance jobs (docs/certificates.md).

A certificate is issued once per completed enrolment and keeps a snapshot of what it
certifies (names, course, hours, date), so that it reads the same years later whatever
changes in the registry. Its signed credential is stored as issued, byte for byte.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govtrain.core.models import TimeStampedModel


class IssuerKey(TimeStampedModel):
    """An institute's Ed25519 key. One is active at a time and signs new certificates; a
    retired key stays published so that what it signed keeps verifying; a revoked key
    (compromised) makes what it signed fail verification."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")
        REVOKED = "revoked", _("Revoked")

    provider = models.ForeignKey(
        "catalog.Provider", on_delete=models.PROTECT, related_name="issuer_keys"
    )
    number = models.PositiveIntegerField(_("number"))
    public_key = models.CharField(_("public key (multibase)"), max_length=64, unique=True)
    # The secret key's multibase, encrypted with CERTIFICATE_KEY_SECRET (Fernet).
    secret_encrypted = models.BinaryField()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["provider", "-number"]
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        constraints = [
            models.UniqueConstraint(fields=["provider", "number"], name="issuer_key_number"),
            models.UniqueConstraint(
                fields=["provider"],
                condition=Q(status="active"),
                name="one_active_issuer_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}#key-{self.number}"

    @property
    def fragment(self) -> str:
        return f"key-{self.number}"


class CertificateTemplate(TimeStampedModel):
    """How an institute's certificates look (the PDF); the credential is the same for all."""

    provider = models.OneToOneField(
        "catalog.Provider", on_delete=models.CASCADE, related_name="certificate_template"
    )
    heading_en = models.CharField(
        _("heading (English)"), max_length=120, default="Certificate of completion"
    )
    heading_ml = models.CharField(
        _("heading (Malayalam)"), max_length=120, default="പൂർത്തീകരണ സർട്ടിഫിക്കറ്റ്"
    )
    accent = models.CharField(_("accent colour"), max_length=7, default="#0b5370")
    signatory_name_en = models.CharField(_("signatory (English)"), max_length=120, blank=True)
    signatory_name_ml = models.CharField(_("signatory (Malayalam)"), max_length=120, blank=True)
    signatory_title_en = models.CharField(
        _("signatory's designation (English)"), max_length=120, blank=True
    )
    signatory_title_ml = models.CharField(
        _("signatory's designation (Malayalam)"), max_length=120, blank=True
    )
    footer_en = models.CharField(_("footer (English)"), max_length=200, blank=True)
    footer_ml = models.CharField(_("footer (Malayalam)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        constraints = [
            models.CheckConstraint(
                condition=Q(accent__regex=r"^#[0-9a-fA-F]{6}$"), name="template_accent_is_hex"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}"


class StatusList(TimeStampedModel):
    """A Bitstring Status List of an institute: one bit per certificate (revoked or not),
    published as a credential the institute signs (statuslist.py)."""

    provider = models.ForeignKey(
        "catalog.Provider", on_delete=models.PROTECT, related_name="status_lists"
    )
    number = models.PositiveIntegerField()
    bits = models.BinaryField()
    size = models.PositiveIntegerField()
    next_index = models.PositiveIntegerField(default=0)
    # Random bytes that scramble the order in which bits are handed out (services/status.py).
    seed = models.BinaryField(max_length=8)
    # Bumped by every revocation; the signed list is made again when it is behind.
    version = models.PositiveIntegerField(default=1)
    signed = models.TextField(blank=True)
    signed_version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "number"], name="status_list_number")
        ]

    def __str__(self) -> str:
        return f"{self.provider_id}/{self.number}"


class Certificate(TimeStampedModel):
    """One completion, certified: a PDF and a signed Open Badges 3.0 credential."""

    # The institute's document number: with settings.DIGILOCKER_ISSUER_ID and the document
    # type it forms DigiLocker's URI IssuerId-DocType-DocId, stable for life.
    number = models.CharField(_("certificate number"), max_length=32, unique=True)
    # The credential's id and the public link: unguessable, unlike the number, so that
    # nobody can list the certificates of the state by counting.
    public_id = models.CharField(max_length=24, unique=True)
    credential_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    enrolment = models.OneToOneField(
        "records.Enrolment", on_delete=models.PROTECT, related_name="certificate"
    )
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="certificates"
    )
    course = models.ForeignKey("catalog.Course", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(
        "catalog.Provider", on_delete=models.PROTECT, related_name="certificates"
    )
    # What the certificate says, as issued.
    recipient_en = models.CharField(max_length=200)
    recipient_ml = models.CharField(max_length=200, blank=True)
    course_en = models.CharField(max_length=300)
    course_ml = models.CharField(max_length=300, blank=True)
    provider_en = models.CharField(max_length=200)
    provider_ml = models.CharField(max_length=200, blank=True)
    hours = models.DecimalField(max_digits=6, decimal_places=1)
    completed_on = models.DateField()
    issued_at = models.DateTimeField()
    key = models.ForeignKey(IssuerKey, on_delete=models.PROTECT, related_name="certificates")
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="+")
    status_index = models.PositiveIntegerField()
    credential = models.TextField()  # the signed JSON, exactly as issued
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Rendered on first download and kept (certificate_pdf).
    pdf = models.FileField(upload_to="certificates/pdf/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_certificate_per_status_bit"
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="certificate_revocation_has_a_reason",
            ),
        ]
        indexes = [models.Index(fields=["employee", "-issued_at"], name="cert_employee")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    # In the reader's language, the other one when it is missing.
    @property
    def recipient(self) -> str:
        return _in_language(self.recipient_en, self.recipient_ml)

    @property
    def course_title(self) -> str:
        return _in_language(self.course_en, self.course_ml)

    @property
    def provider_name(self) -> str:
        return _in_language(self.provider_en, self.provider_ml)

    @property
    def digilocker_uri(self) -> str:
        return f"{settings.DIGILOCKER_ISSUER_ID}-{settings.DIGILOCKER_DOC_TYPE}-{self.number}"


def _in_language(english: str, malayalam: str) -> str:
    from django.utils.translation import get_language

    return (malayalam or english) if get_language() == "ml" else (english or malayalam)


class IssuanceJob(TimeStampedModel):
    """Certificates for many completions at once (a whole batch), in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    provider = models.ForeignKey("catalog.Provider", on_delete=models.PROTECT, related_name="+")
    batch = models.ForeignKey(
        "classroom.Batch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    course = models.ForeignKey(
        "catalog.Course", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    already = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"job {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        return self.issued * 100 // self.total if self.total else 0

    @property
    def running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}
