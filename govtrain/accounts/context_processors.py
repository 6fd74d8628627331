from typing import Any

from django.http import HttpRequest

from govtrain.accounts.access import Perm, access_for
from govtrain.notifications.selectors import notifications_unread_count


def access(request: HttpRequest) -> dict[str, Any]:
    """What the navigation may offer: computed here, not in templates."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    a = access_for(user)
    return {
        "nav": {
            "people": a.can(Perm.PEOPLE_VIEW),
            "imports": a.can(Perm.PEOPLE_IMPORT),
            "roles": a.can(Perm.ROLES_MANAGE),
            "audit": a.can(Perm.AUDIT_VIEW),
            "admin": a.can(Perm.ADMIN_SITE) and user.is_staff,
            "profile": a.employee_id,
            "nominate": a.can(Perm.NOMINATE),
            "manage_batches": a.can(Perm.CATALOG_MANAGE),
            # Called by the template only where it shows the count (one indexed query).
            "unread": lambda: notifications_unread_count(user=user),
        }
    }
