"""The organisation tree: districts, local bodies, departments and their offices."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from govtrain.core.models import BilingualNameMixin, TimeStampedModel


class District(BilingualNameMixin, TimeStampedModel):
    code = models.CharField(_("code"), max_length=20, unique=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class LocalBody(BilingualNameMixin, TimeStampedModel):
    """A local self-government institution (1,200 in Kerala, five kinds)."""

    class Kind(models.TextChoices):
        GRAMA_PANCHAYAT = "grama_panchayat", _("Grama panchayat")
        BLOCK_PANCHAYAT = "block_panchayat", _("Block panchayat")
        DISTRICT_PANCHAYAT = "district_panchayat", _("District panchayat")
        MUNICIPALITY = "municipality", _("Municipality")
        CORPORATION = "corporation", _("Corporation")

    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="local_bodies")

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("local body")
        verbose_name_plural = _("local bodies")


class Department(BilingualNameMixin, TimeStampedModel):
    code = models.CharField(_("code"), max_length=20, unique=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class Office(BilingualNameMixin, TimeStampedModel):
    """An office sits in a department and a district, optionally in a local body.

    Offices form a tree (a directorate above its district offices, a district office above
    its taluk offices). `path` is the chain of office codes from the root, so a whole
    subtree is one indexed prefix query.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="offices")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="offices")
    local_body = models.ForeignKey(
        LocalBody, on_delete=models.PROTECT, related_name="offices", null=True, blank=True
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="children", null=True, blank=True
    )
    path = models.CharField(max_length=400, db_index=True, editable=False)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    @staticmethod
    def path_for(*, code: str, parent: "Office | None") -> str:
        return f"{parent.path if parent else '/'}{code}/"
