"""In-app notifications: what happened to me, with a link to it. E-mail goes out too."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govtrain.core.models import TimeStampedModel


class Notification(TimeStampedModel):
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    # Stored already translated into the recipient's language when it was sent.
    message = models.CharField(_("message"), max_length=500)
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.message[:60]
