from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import translation
from django.utils.translation import gettext as _

from govtrain.notifications.models import Notification


@shared_task(ignore_result=True)
def send_notification_emails(notification_ids: list[int]) -> None:
    """E-mail each notification to its recipient's official address, if they have one."""
    messages = []
    rows = Notification.objects.filter(pk__in=notification_ids).select_related("user__employee")
    for notification in rows:
        employee = getattr(notification.user, "employee", None)
        if employee is None or not employee.email:
            continue
        with translation.override(notification.user.language or "en"):
            link = f"{settings.SITE_URL}{notification.url}" if notification.url else ""
            body = f"{notification.message}\n\n{link}".strip()
            subject = _("govtrain: %s") % notification.message[:80]
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [employee.email]))
    send_mass_mail(messages, fail_silently=False)
