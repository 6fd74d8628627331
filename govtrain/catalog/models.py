"""The training catalog. Providers first: roles of institute staff are scoped to one."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf
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


# Languages a programme can be taught in (codes as in Django's LANGUAGES).
COURSE_LANGUAGES = ("ml", "en", "hi", "ta")
COURSE_LANGUAGE_NAMES = {
    "ml": _("Malayalam"),
    "en": _("English"),
    "hi": _("Hindi"),
    "ta": _("Tamil"),
}
# The catalog lists courses by their Malayalam title for Malayalam readers, falling back
# to the English title where there is none; an index below serves this order. The index's
# DDL writes the empty string as a literal, and a query must too: SQLite matches an
# expression index only to the same expression, and a bound parameter is not the same.
TITLE_ML_INDEXED = Coalesce(NullIf("title_ml", models.Value("")), "title_en")
TITLE_ML_ORDER = Coalesce(NullIf("title_ml", RawSQL("''", [])), "title_en")


class Course(TimeStampedModel):
    """A programme in the catalog ("a 3-day programme on RTI"), offered by one provider."""

    class Modality(models.TextChoices):
        CLASSROOM = "classroom", _("Classroom")
        ONLINE = "online", _("Online")
        BLENDED = "blended", _("Blended")
        EXTERNAL = "external", _("External (paid) course")

    class Currency(models.TextChoices):
        INR = "INR", "₹ INR"
        USD = "USD", "$ USD"

    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="courses", verbose_name=_("provider")
    )
    code = models.CharField(_("code"), max_length=30, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ml = models.CharField(_("title (Malayalam)"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_ml = models.TextField(_("summary (Malayalam)"), blank=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.PROTECT, related_name="courses", verbose_name=_("topic")
    )
    modality = models.CharField(_("modality"), max_length=20, choices=Modality.choices)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    languages = models.JSONField(
        _("languages"), default=list, help_text=_('Language codes, e.g. ["ml", "en"].')
    )
    fee = models.DecimalField(_("fee"), max_digits=10, decimal_places=2, default=0)
    fee_currency = models.CharField(
        _("currency"), max_length=3, choices=Currency.choices, default=Currency.INR
    )
    target_service_classes = models.ManyToManyField(
        "people.ServiceClass", blank=True, related_name="+", verbose_name=_("for service classes")
    )
    target_cadres = models.ManyToManyField(
        "people.Cadre", blank=True, related_name="+", verbose_name=_("for cadres")
    )
    target_designations = models.ManyToManyField(
        "people.Designation", blank=True, related_name="+", verbose_name=_("for designations")
    )
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="+", verbose_name=_("prerequisites")
    )
    is_published = models.BooleanField(_("published"), default=False)
    # The completion rule for classroom batches: attend at least this share of the time.
    completion_attendance_percent = models.PositiveSmallIntegerField(
        _("attendance needed to complete (%)"), default=80
    )

    class Meta:
        ordering = ["title_en"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="course_has_hours"),
            models.CheckConstraint(condition=models.Q(fee__gte=0), name="course_fee_not_negative"),
            models.CheckConstraint(
                condition=models.Q(completion_attendance_percent__range=(1, 100)),
                name="course_completion_percent_in_range",
            ),
        ]
        # The catalog's page order, in each language, over published courses only (a
        # partial index: SQLite cannot seek on a leading boolean column). Full-text search
        # has its own indexes, made per database engine by migration 0005 (search.py).
        indexes = [
            models.Index(
                fields=["title_en", "code"],
                condition=models.Q(is_published=True),
                name="course_order_en",
            ),
            models.Index(
                TITLE_ML_INDEXED,
                models.F("code"),
                condition=models.Q(is_published=True),
                name="course_order_ml",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        unknown = [code for code in self.languages if code not in COURSE_LANGUAGES]
        if not self.languages or unknown:
            raise ValidationError(
                {"languages": _("Choose languages from: %s.") % ", ".join(COURSE_LANGUAGES)}
            )

    @property
    def title(self) -> str:
        from django.utils.translation import get_language

        if get_language() == "ml" and self.title_ml:
            return self.title_ml
        return self.title_en

    @property
    def other_title(self) -> str:
        """The title in the other language, when there is one (shown alongside)."""
        from django.utils.translation import get_language

        other = self.title_en if get_language() == "ml" else self.title_ml
        return "" if other == self.title else other

    @property
    def has_online_lessons(self) -> bool:
        """Published online and blended courses have lessons to take on the platform."""
        return self.is_published and self.modality in {self.Modality.ONLINE, self.Modality.BLENDED}

    @property
    def summary(self) -> str:
        from django.utils.translation import get_language

        if get_language() == "ml" and self.summary_ml:
            return self.summary_ml
        return self.summary_en or self.summary_ml
