from typing import Any

from django.contrib.auth.backends import ModelBackend

from govtrain.accounts.models import User


class UserWithEmployeeBackend(ModelBackend):
    """Django's model backend, loading the user's employee record in the same query:
    every page asks for it (the permission layer, the navigation)."""

    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related("employee").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
