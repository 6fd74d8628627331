"""The audit trail: who did what to which record, when, with the values before and after."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# What each action is called on screen; the stored code stays stable for machines.
ACTION_LABELS = {
    "employee.created": _("Employee registered"),
    "employee.updated": _("Employee record changed"),
    "employees.imported": _("Employees imported"),
    "role.assigned": _("Role assigned"),
    "role.revoked": _("Role revoked"),
    "course.created": _("Course created"),
    "course.updated": _("Course changed"),
    "batch.created": _("Batch scheduled"),
    "batch.updated": _("Batch changed"),
    "batch.timetable_set": _("Timetable changed"),
    "batch.quotas_set": _("Seat quotas changed"),
    "batch.faculty_set": _("Faculty changed"),
    "batch.cancelled": _("Batch cancelled"),
    "batch.closed": _("Batch closed, completions recorded"),
    "batch.completions_recomputed": _("Completions recomputed"),
    "attendance.marked": _("Attendance marked"),
    "attendance.corrected": _("Attendance corrected"),
    "feedback_form.created": _("Feedback form created"),
    "feedback_form.changed": _("Feedback form changed"),
    "enrolment.completed": _("Completed"),
    "enrolment.not_completed": _("Not completed"),
    "enrolment.enrolled": _("Enrolled"),
    "enrolment.withdrawn": _("Enrolment withdrawn"),
    "approval_policy.set": _("Approval chain set"),
    "approval_policy.removed": _("Approval chain removed"),
    "nomination.created": _("Nominated"),
    "nomination.requested": _("Seat requested"),
    "nomination.approved": _("Nomination approved"),
    "nomination.rejected": _("Nomination rejected"),
    "nomination.confirmed": _("Nomination confirmed"),
    "nomination.waitlisted": _("Nomination waitlisted"),
    "nomination.withdrawn": _("Nomination withdrawn"),
    "nomination.promoted": _("Promoted from the waitlist"),
}


class AuditEvent(models.Model):
    """Append-only. Written by services in the same transaction as the change it records."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("what"), max_length=60, db_index=True)
    target_type = models.CharField(_("record type"), max_length=60)
    target_id = models.CharField(_("record id"), max_length=40)
    target_label = models.CharField(_("record"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_label}"

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))
