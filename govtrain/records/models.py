"""The training record: one enrolment per employee per offering, whatever the modality,
and the hours credited when it is completed."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from govtrain.core.models import TimeStampedModel


class Enrolment(TimeStampedModel):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Not completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="enrolments"
    )
    course = models.ForeignKey(
        "catalog.Course", on_delete=models.PROTECT, related_name="enrolments"
    )
    # The classroom batch, when the offering is one. Online and external courses have no
    # batch: one enrolment per employee and course, reopened if they enrol again.
    batch = models.ForeignKey(
        "classroom.Batch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ENROLLED
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    hours_credited = models.DecimalField(
        _("hours credited"), max_digits=6, decimal_places=1, default=0
    )
    attendance_percent = models.DecimalField(
        _("attendance %"), max_digits=5, decimal_places=1, null=True, blank=True
    )

    class Meta:
        ordering = ["-completed_on", "-created_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "batch"],
                condition=Q(batch__isnull=False),
                name="one_enrolment_per_batch",
            ),
            models.UniqueConstraint(
                fields=["employee", "course"],
                condition=Q(batch__isnull=True),
                name="one_enrolment_per_course_without_batch",
            ),
            models.CheckConstraint(
                condition=Q(hours_credited__gte=0), name="enrolment_hours_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_on__isnull=False),
                name="completion_has_a_date",
            ),
        ]
        indexes = [
            models.Index(fields=["employee", "status"], name="enrolment_employee_status"),
            models.Index(fields=["course", "status"], name="enrolment_course_status"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.course_id} {self.status}"
