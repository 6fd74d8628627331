"""SCORM packages and the SCOs (launchable items) their manifests declare."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govtrain.core.models import TimeStampedModel


class Package(TimeStampedModel):
    """An uploaded SCORM package; its files live in the default storage under a prefix."""

    class Version(models.TextChoices):
        SCORM_12 = "1.2", _("SCORM 1.2")
        SCORM_2004 = "2004", _("SCORM 2004")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    version = models.CharField(_("SCORM version"), max_length=4, choices=Version.choices)
    identifier = models.CharField(_("manifest identifier"), max_length=255, blank=True)
    storage_prefix = models.CharField(max_length=100, unique=True, editable=False)
    size_bytes = models.BigIntegerField(_("size (bytes, uncompressed)"))
    file_count = models.PositiveIntegerField(_("files"))
    # The institute whose coordinators may use and see the package; None: state-wide.
    provider = models.ForeignKey(
        "catalog.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    class Meta:
        verbose_name = _("SCORM package")
        verbose_name_plural = _("SCORM packages")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def default_sco(self) -> Sco | None:
        """The first SCO of the default organisation: what a lesson plays."""
        return self.scos.order_by("position").first()


class Sco(TimeStampedModel):
    """A launchable item (SCORM 1.2 `adlcp:scormtype="sco"`, 2004 `adlcp:scormType="sco"`)."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="scos")
    identifier = models.CharField(_("identifier"), max_length=255)
    title = models.CharField(_("title"), max_length=300)
    organisation = models.CharField(_("organisation"), max_length=255)
    href = models.CharField(_("launch path"), max_length=2000)
    position = models.PositiveIntegerField(_("position"))
    # SCORM 1.2 adlcp:masteryscore, 0-100.
    mastery_score = models.DecimalField(
        _("mastery score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    # SCORM 2004 adlcp:completionThreshold, 0-1.
    completion_threshold = models.DecimalField(
        _("completion threshold"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    # SCORM 2004 imsss:minNormalizedMeasure of the primary objective, -1-1.
    scaled_passing_score = models.DecimalField(
        _("scaled passing score"), max_digits=5, decimal_places=4, null=True, blank=True
    )

    class Meta:
        verbose_name = _("SCO")
        verbose_name_plural = _("SCOs")
        ordering = ["package", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["package", "identifier"], name="scorm_sco_identifier_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.package} / {self.title}"
