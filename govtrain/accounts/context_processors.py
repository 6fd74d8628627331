from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, gettext_noop

from govtrain.accounts.access import Perm, access_for
from govtrain.notifications.selectors import notifications_unread_count


@dataclass(frozen=True)
class Menu:
    """The main menu as HTML list items, on either side of the notifications link (which
    carries the unread count, the one part that changes from request to request)."""

    before: SafeString
    notifications_url: str
    after: SafeString


# The menu in its order: (URL name, label, the `nav` flag that shows it or None). The
# labels are marked for translation here and translated in `_links`.
_ = gettext_noop
PROFILE, NOTIFICATIONS = "people:employee-detail", "notifications:list"
MENU: tuple[tuple[str, str, str | None], ...] = (
    ("core:home", _("Home"), None),
    ("catalog:course-list", _("Catalog"), None),
    ("people:employee-detail", _("My profile"), "profile"),
    ("records:mine", _("My training"), "profile"),
    ("learning:my-learning", _("My online courses"), "profile"),
    ("certificates:mine", _("My certificates"), "profile"),
    ("people:employee-list", _("People"), "people"),
    ("people:import-list", _("Imports"), "imports"),
    ("accounts:role-list", _("Roles"), "roles_or_audit"),
    ("audit:event-list", _("Audit trail"), "audit"),
    ("classroom:nomination-list", _("Nominations"), None),
    ("notifications:list", _("Notifications"), None),
    ("classroom:calendar", _("Calendar"), None),
    ("classroom:batch-list", _("Batches"), "manage_batches"),
    ("external:evidence-list", _("My external courses"), "profile"),
    ("external:evidence-queue", _("Evidence to verify"), "manage_batches"),
    ("certificates:institute-list", _("Certificates issued"), "manage_batches"),
    ("learning:author-course-list", _("Course authoring"), "author"),
    ("assessments:bank-list", _("Question banks"), "author"),
    ("assessments:grading-queue", _("Grading"), "grade"),
    ("scorm:package-list", _("SCORM packages"), "manage_batches"),
    ("lrs:client-list", _("xAPI clients"), "lrs"),
    ("admin:index", _("Administration"), "admin"),
)


@lru_cache(maxsize=4096)
def _menu(language: str, shown: frozenset[str], profile: int | None) -> Menu:
    """The menu for one combination of language, permissions and profile, rendered once
    per process: a dozen reverse() and translations in a template loop were a third of
    the page layout's time."""
    items: list[tuple[str, str]] = []
    for name, label, flag in MENU:
        if flag is None or flag in shown:
            url = reverse(name, args=[profile]) if name == PROFILE else reverse(name)
            items.append((url, gettext(label)))
    split = next(i for i, (url, _label) in enumerate(items) if url == reverse(NOTIFICATIONS))

    def html(links: list[tuple[str, str]]) -> SafeString:
        return format_html_join("", '<li><a href="{}">{}</a></li>', links)

    return Menu(
        before=html(items[:split]),
        notifications_url=items[split][0],
        after=html(items[split + 1 :]),
    )


def access(request: HttpRequest) -> dict[str, Any]:
    """What the navigation may offer: computed here, not in templates."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    a = access_for(user)
    flags = {
        "people": a.can(Perm.PEOPLE_VIEW),
        "imports": a.can(Perm.PEOPLE_IMPORT),
        "roles_or_audit": a.can(Perm.ROLES_MANAGE) or a.can(Perm.AUDIT_VIEW),
        "audit": a.can(Perm.AUDIT_VIEW),
        "admin": a.can(Perm.ADMIN_SITE) and user.is_staff,
        "profile": a.employee_id is not None,
        "nominate": a.can(Perm.NOMINATE),
        "manage_batches": a.can(Perm.CATALOG_MANAGE),
        # The rule of learning.views.authoring._require_author: whoever manages courses
        # somewhere builds their online lessons.
        "author": a.can(Perm.CATALOG_MANAGE),
        "lrs": a.can(Perm.LRS_MANAGE),
        # Coordinators and faculty grade the answers of their institutes' quizzes.
        "grade": a.can(Perm.ASSESS_GRADE),
    }
    shown = frozenset(flag for flag, on in flags.items() if on)
    return {
        "nav": {
            **flags,
            "menu": _menu(get_language(), shown, a.employee_id),
            # Called by the template only where it shows the count (one indexed query).
            "unread": lambda: notifications_unread_count(user=user),
        }
    }
