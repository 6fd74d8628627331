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
