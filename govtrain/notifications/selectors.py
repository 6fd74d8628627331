from django.db.models import QuerySet

from govtrain.accounts.models import User
from govtrain.notifications.models import Notification


def notifications_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def notifications_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()
