from typing import Any

from django.http import HttpRequest

from govtrain.accounts.access import Perm, access_for


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
        }
    }
