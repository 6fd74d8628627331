"""Tell people what happened to them: a line in the app, and the same line by e-mail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from govtrain.accounts.models import User
from govtrain.notifications.models import Notification


def notify(
    *,
    users: Iterable[User | None],
    message: str,
    params: Mapping[str, Any] | None = None,
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Notify each user in their own language; e-mails go out after the transaction commits.

    `message` is a lazily translated string with %(name)s placeholders, so that it is
    rendered once per recipient language.
    """
    notifications = []
    for user in {u.pk: u for u in users if u is not None}.values():
        with translation.override(user.language or "en"):
            text = str(message) % {k: str(v) for k, v in (params or {}).items()}
        notifications.append(Notification(user=user, message=text[:500], url=url))
    created = Notification.objects.bulk_create(notifications)
    if email and created:
        from govtrain.notifications.tasks import send_notification_emails

        # SQLite and PostgreSQL both return the new keys from bulk_create.
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: send_notification_emails.delay(ids))
    return created


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (or the listed ones) read; returns how many."""
    unread = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
