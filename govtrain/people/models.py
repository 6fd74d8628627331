"""Employees: the people a training system needs to know, and no more.

Kept to what training needs (DPDP Act 2023, purpose limitation): no Aadhaar, no home
address, no date of birth, no pay. Contact details are official ones.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from govtrain.core.models import BilingualNameMixin, TimeStampedModel

# SPARK's PEN format is not published: a string of digits, kept as text so leading
# zeros survive (DOMAIN.md).
PEN_PATTERN = r"^[0-9]{5,10}$"
pen_validator = RegexValidator(PEN_PATTERN, _("A PEN is 5 to 10 digits."))
phone_validator = RegexValidator(r"^\+?[0-9 -]{6,20}$", _("Enter a phone number of digits."))


class ServiceClass(BilingualNameMixin, TimeStampedModel):
    """The state's classification of posts, mapped to the national Group A-D.

    Kerala has State Service (gazetted) and Subordinate Service (non-gazetted, including
    Last Grade); administrators edit these rows, reports use `national_group`.
    """

    class NationalGroup(models.TextChoices):
        A = "A", _("Group A")
        B = "B", _("Group B")
        C = "C", _("Group C")
        D = "D", _("Group D")

    code = models.CharField(_("code"), max_length=20, unique=True)
    national_group = models.CharField(
        _("national group"), max_length=1, choices=NationalGroup.choices
    )
    rank = models.PositiveSmallIntegerField(_("rank"), default=0, help_text=_("Senior first."))

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = _("service class")
        verbose_name_plural = _("service classes")


class Cadre(BilingualNameMixin, TimeStampedModel):
    code = models.CharField(_("code"), max_length=30, unique=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")


class Designation(BilingualNameMixin, TimeStampedModel):
    code = models.CharField(_("code"), max_length=30, unique=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("designation")
        verbose_name_plural = _("designations")


class Employee(TimeStampedModel):
    class Gender(models.TextChoices):
        FEMALE = "F", _("Female")
        MALE = "M", _("Male")
        TRANSGENDER = "T", _("Transgender")
        UNDISCLOSED = "X", _("Not stated")

    class Status(models.TextChoices):
        ACTIVE = "active", _("In service")
        ON_LEAVE = "on_leave", _("On leave")
        DEPUTATION = "deputation", _("On deputation")
        RETIRED = "retired", _("Retired")
        RELIEVED = "relieved", _("Relieved")

    # Statuses whose holders keep a working login.
    SERVING = (Status.ACTIVE, Status.ON_LEAVE, Status.DEPUTATION)

    pen = models.CharField(_("PEN"), max_length=10, unique=True, validators=[pen_validator])
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_ml = models.CharField(_("name (Malayalam)"), max_length=150, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, default="X")
    service_class = models.ForeignKey(
        ServiceClass, on_delete=models.PROTECT, related_name="+", verbose_name=_("service class")
    )
    cadre = models.ForeignKey(
        Cadre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cadre"),
    )
    designation = models.ForeignKey(
        Designation, on_delete=models.PROTECT, related_name="+", verbose_name=_("designation")
    )
    office = models.ForeignKey(
        "organisation.Office",
        on_delete=models.PROTECT,
        related_name="employees",
        verbose_name=_("office"),
    )
    date_of_joining = models.DateField(_("date of joining"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    email = models.EmailField(_("official e-mail"), blank=True)
    phone = models.CharField(
        _("official phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    controlling_officer = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reportees",
        verbose_name=_("controlling officer"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
    )
    # Lower-cased English name for the index-friendly prefix search of the directory.
    search_name = models.CharField(max_length=150, editable=False, default="")

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        # The directory's name searches: a prefix range and the page order in one index.
        # Few indexes on purpose: each one slows the import of half a million rows.
        indexes = [
            models.Index(fields=["search_name", "pen"], name="employee_search_name_pen"),
            models.Index(fields=["name_ml", "pen"], name="employee_name_ml_pen"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.pen})"

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if get_language() == "ml" and self.name_ml:
            return self.name_ml
        return self.name_en

    @property
    def is_serving(self) -> bool:
        return self.status in self.SERVING


class ImportJob(TimeStampedModel):
    """One upload of the HR/payroll export and what became of it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        REJECTED = "rejected", _("Rejected: the file has errors")
        FAILED = "failed", _("Failed")

    class Phase(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        VALIDATING = "validating", _("Checking rows")
        APPLYING = "applying", _("Saving changes")
        DONE = "done", _("Done")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    dry_run = models.BooleanField(_("dry run"), default=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.WAITING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors_preview = models.JSONField(default=list, blank=True)
    error_report = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    message = models.TextField(blank=True)
    applied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The dry run this import applies.",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("employee import")
        verbose_name_plural = _("employee imports")

    def __str__(self) -> str:
        return f"{self.original_name} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.REJECTED, self.Status.FAILED}
