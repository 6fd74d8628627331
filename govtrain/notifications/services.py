"""Tell people what happened to them: a line in the app, and the same line by e-mail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_stubs_ext import StrOrPromise

from govtrain.accounts.models import User
from govtrain.notifications.models import Notification
from govtrain.notifications.selectors import forget_unread

# Bulk loaders (the demo's year of history) keep the in-app lines but send no e-mail.
_emails_muted: ContextVar[bool] = ContextVar("emails_muted", default=False)


@contextmanager
def emails_muted() -> Iterator[None]:
    token = _emails_muted.set(True)
    try:
        yield
    finally:
        _emails_muted.reset(token)


def _shown(value: Any) -> str:
    """A value as the reader's language writes it (dates: 8 Mar 2027, not 2027-03-08)."""
    if isinstance(value, dt.date):
        return date_format(value)
    return str(value)


def notify(
    *,
    users: Iterable[User | None],
    message: StrOrPromise,
    params: Mapping[str, Any] | None = None,
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Notify each user in their own language; e-mails go out after the transaction commits.

    `message` is a lazily translated string with %(name)s placeholders, so that it is
    rendered once per recipient language.
    """
    unique = {u.pk: u for u in users if u is not None}.values()
    return notify_each(
        message=message, items=[(user, params or {}, url) for user in unique], email=email
    )


def notify_each(
    *,
    message: StrOrPromise,
    items: Iterable[tuple[User | None, Mapping[str, Any], str]],
    email: bool = True,
) -> list[Notification]:
    """One message to many people, each with their own values and link: one insert and
    one e-mail job whatever their number (a nodal officer nominates 500 at once)."""
    notifications = []
    for user, params, url in items:
        if user is None:
            continue
        with translation.override(user.language or "en"):
            text = str(message) % {k: _shown(v) for k, v in params.items()}
        notifications.append(Notification(user=user, message=text[:500], url=url))
    created = Notification.objects.bulk_create(notifications)
    if email and created and not _emails_muted.get():
        from govtrain.notifications.tasks import send_notification_emails

        # SQLite and PostgreSQL both return the new keys from bulk_create.
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: send_notification_emails.delay(ids))
    return created


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (or the listed ones) read; returns how many."""
    forget_unread(user)  # the navigation's count, if loaded with the user, is now stale
    unread = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
