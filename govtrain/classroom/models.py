"""Classroom training: batches of a course at a centre, their sessions, who is nominated
to them, who attended, and what participants thought of them."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govtrain.core.models import TimeStampedModel


class Step(models.TextChoices):
    """Who decides a nomination at each step of an approval chain."""

    CONTROLLING_OFFICER = "controlling_officer", _("Controlling officer")
    DEPARTMENT = "department", _("Head of department (nodal officer)")
    INSTITUTE = "institute", _("Institute")


DEFAULT_CHAIN = [Step.CONTROLLING_OFFICER.value, Step.INSTITUTE.value]


class ApprovalPolicy(TimeStampedModel):
    """How nominations to a provider's (or one course's) batches are approved.

    The most specific policy wins: the course's, then the provider's, then the default
    chain (controlling officer, then the institute). The institute always decides last.
    """

    provider = models.ForeignKey(
        "catalog.Provider",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
    )
    course = models.ForeignKey(
        "catalog.Course",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("course"),
    )
    steps = models.JSONField(_("approval steps"), default=list)
    lead_days = models.PositiveSmallIntegerField(
        _("lead time (days)"),
        default=7,
        help_text=_("Nominations close this many days before the batch starts."),
    )

    class Meta:
        verbose_name = _("approval policy")
        verbose_name_plural = _("approval policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(provider__isnull=False, course__isnull=True)
                | Q(provider__isnull=True, course__isnull=False),
                name="approval_policy_for_provider_or_course",
            ),
            models.UniqueConstraint(fields=["provider"], name="approval_policy_one_per_provider"),
            models.UniqueConstraint(fields=["course"], name="approval_policy_one_per_course"),
        ]

    def __str__(self) -> str:
        return " → ".join(str(Step(s).label) for s in self.steps)

    def clean(self) -> None:
        known = {s.value for s in Step}
        if not self.steps or any(s not in known for s in self.steps):
            raise ValidationError({"steps": _("Choose steps from the list.")})
        if self.steps[-1] != Step.INSTITUTE or self.steps.count(Step.INSTITUTE) != 1:
            raise ValidationError({"steps": _("The institute decides last, once.")})
        if len(set(self.steps)) != len(self.steps):
            raise ValidationError({"steps": _("A step can appear only once.")})


class Batch(TimeStampedModel):
    """One offering of a classroom course: a group that meets at a venue on given dates."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        CLOSED = "closed", _("Closed (completions recorded)")

    course = models.ForeignKey(
        "catalog.Course", on_delete=models.PROTECT, related_name="batches", verbose_name=_("course")
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    centre = models.ForeignKey(
        "catalog.Centre", on_delete=models.PROTECT, related_name="batches", verbose_name=_("centre")
    )
    venue = models.ForeignKey(
        "catalog.Venue", on_delete=models.PROTECT, related_name="batches", verbose_name=_("venue")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    nominations_open_on = models.DateField(_("nominations open on"))
    nominations_close_on = models.DateField(_("nominations close on"))
    language = models.CharField(_("language"), max_length=5, default="ml")
    faculty = models.ManyToManyField(
        "people.Employee", blank=True, related_name="batches_taught", verbose_name=_("faculty")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    feedback_form = models.ForeignKey(
        "FeedbackForm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("feedback form"),
    )

    class Meta:
        ordering = ["starts_on", "code"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="batch_dates")]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gt=0), name="batch_has_seats"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="batch_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(nominations_close_on__gte=models.F("nominations_open_on")),
                name="batch_nomination_window_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def nominations_open(self, today: dt.date) -> bool:
        return (
            self.status == self.Status.SCHEDULED
            and self.nominations_open_on <= today <= self.nominations_close_on
        )


class BatchQuota(TimeStampedModel):
    """At most `seats` of a batch go to people matching every criterion set on the row."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="quotas")
    department = models.ForeignKey(
        "organisation.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    service_class = models.ForeignKey(
        "people.ServiceClass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service class"),
    )
    gender = models.CharField(_("gender"), max_length=1, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"))

    class Meta:
        ordering = ["batch", "pk"]
        verbose_name = _("seat quota")
        verbose_name_plural = _("seat quotas")
        constraints = [
            models.CheckConstraint(
                condition=~Q(department=None, service_class=None, gender=""),
                name="quota_has_a_criterion",
            ),
        ]

    def __str__(self) -> str:
        parts = [str(p) for p in (self.department, self.service_class) if p is not None]
        if self.gender:
            parts.append(self.gender)
        return f"{' / '.join(parts)}: {self.seats}"


class Session(TimeStampedModel):
    """One slot of a batch's timetable ("Day 2, 10:00-11:30, RTI appeals")."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    title = models.CharField(_("title"), max_length=200)
    faculty = models.ForeignKey(
        "people.Employee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions_taught",
        verbose_name=_("faculty"),
    )

    class Meta:
        ordering = ["date", "starts_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["date", "starts_at"], name="session_when")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch.code} {self.date} {self.starts_at:%H:%M}"

    @property
    def minutes(self) -> int:
        start = dt.datetime.combine(self.date, self.starts_at)
        end = dt.datetime.combine(self.date, self.ends_at)
        return int((end - start).total_seconds() // 60)


class Nomination(TimeStampedModel):
    """An employee's place (or wish for a place) in a batch, moving along the approval chain."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        APPROVED = "approved", _("Approved, awaiting the institute")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        REQUEST = "request", _("Requested by the employee")
        NOMINATION = "nomination", _("Nominated by the department")

    ACTIVE = (Status.REQUESTED, Status.APPROVED, Status.CONFIRMED, Status.WAITLISTED)
    # Nominations that hold or claim a seat for quota counting.
    HOLDING = (Status.APPROVED, Status.CONFIRMED)

    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="nominations")
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="nominations"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    # The chain as it was when the nomination was made, and the step now waiting.
    steps = models.JSONField(default=list)
    step = models.CharField(_("waiting for"), max_length=30, choices=Step.choices, blank=True)
    nominated_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    waitlisted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "created_at"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "employee"],
                condition=Q(status__in=["requested", "approved", "confirmed", "waitlisted"]),
                name="one_active_nomination_per_batch",
            ),
        ]
        indexes = [
            models.Index(fields=["batch", "status"], name="nomination_batch_status"),
            models.Index(fields=["employee", "status"], name="nomination_employee_status"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} → {self.batch}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class NominationEvent(models.Model):
    """One step of a nomination's history: who did what, when and why."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    actor = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.nomination_id} {self.action}"

    @property
    def label(self) -> str:
        return str(EVENT_LABELS.get(self.action, self.action))


EVENT_LABELS = {
    "created": _("Nominated by the department"),
    "requested": _("Seat requested"),
    "approved": _("Approved"),
    "rejected": _("Rejected"),
    "confirmed": _("Seat confirmed by the institute"),
    "waitlisted": _("Waitlisted"),
    "withdrawn": _("Withdrawn"),
    "promoted": _("Promoted from the waitlist"),
    "batch_cancelled": _("The batch was cancelled"),
}


class Attendance(TimeStampedModel):
    """Whether a participant attended a session, and for how long."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        PARTIAL = "partial", _("Partly present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    minutes = models.PositiveSmallIntegerField(_("minutes present"))
    marked_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "employee"], name="one_mark_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.employee_id} {self.status}"


class FeedbackForm(TimeStampedModel):
    """A set of questions participants answer after a batch; a provider may have its own."""

    provider = models.ForeignKey(
        "catalog.Provider",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provider"),
        help_text=_("Empty: the default form for every provider."),
    )
    name = models.CharField(_("name"), max_length=200)
    is_default = models.BooleanField(_("provider's default"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("feedback form")
        verbose_name_plural = _("feedback forms")

    def __str__(self) -> str:
        return self.name


class FeedbackQuestion(TimeStampedModel):
    class Kind(models.TextChoices):
        COURSE_RATING = "course_rating", _("Rating of the course (1-5)")
        FACULTY_RATING = "faculty_rating", _("Rating of each faculty member (1-5)")
        TEXT = "text", _("Comment")

    form = models.ForeignKey(FeedbackForm, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text_en = models.CharField(_("question (English)"), max_length=300)
    text_ml = models.CharField(_("question (Malayalam)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["form", "position", "pk"]
        verbose_name = _("feedback question")
        verbose_name_plural = _("feedback questions")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        from django.utils.translation import get_language

        if get_language() == "ml" and self.text_ml:
            return self.text_ml
        return self.text_en


class FeedbackResponse(TimeStampedModel):
    """One participant's answers for one batch (kept once per person; shown only summed up)."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="feedback")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "employee"], name="one_feedback_per_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} {self.employee_id}"


class FeedbackAnswer(models.Model):
    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(FeedbackQuestion, on_delete=models.PROTECT, related_name="+")
    faculty = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.rating or self.text[:20]}"
