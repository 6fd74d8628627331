"""The training catalog. Providers first: roles of institute staff are scoped to one."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from govtrain.core.models import BilingualNameMixin, TimeStampedModel


class Provider(BilingualNameMixin, TimeStampedModel):
    """A training institute or an online platform that offers courses."""

    class Kind(models.TextChoices):
        STATE_INSTITUTE = "state_institute", _("State training institute")
        NATIONAL_INSTITUTE = "national_institute", _("National institute")
        ONLINE_PLATFORM = "online_platform", _("Online platform")
        UNIVERSITY = "university", _("University")

    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")


class Centre(BilingualNameMixin, TimeStampedModel):
    """A campus of a provider (IMG has Thiruvananthapuram, Kochi and Kozhikode)."""

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="centres")
    code = models.CharField(_("code"), max_length=20, unique=True)
    district = models.ForeignKey(
        "organisation.District",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district"),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        ordering = ["provider__code", "code"]
        verbose_name = _("centre")
        verbose_name_plural = _("centres")


class Venue(BilingualNameMixin, TimeStampedModel):
    """A room at a centre where batches meet."""

    class Kind(models.TextChoices):
        AUDITORIUM = "auditorium", _("Auditorium")
        CLASSROOM = "classroom", _("Classroom")
        SMART_CLASSROOM = "smart_classroom", _("Smart classroom")
        COMPUTER_LAB = "computer_lab", _("Computer lab")

    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="venues")
    code = models.CharField(_("code"), max_length=20)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    capacity = models.PositiveSmallIntegerField(_("capacity"))

    class Meta:
        ordering = ["centre__code", "code"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(fields=["centre", "code"], name="venue_code_per_centre"),
            models.CheckConstraint(condition=models.Q(capacity__gt=0), name="venue_has_seats"),
        ]


class Topic(BilingualNameMixin, TimeStampedModel):
    """A theme of the catalog (leadership, e-governance, ...); themes may nest."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
