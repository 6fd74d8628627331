"""DRF glue for the one permission layer (govtrain.accounts.access)."""

from typing import Any

from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User


def require(perm: Perm) -> type[BasePermission]:
    """A permission class that lets through users who hold `perm` somewhere."""

    class HasPerm(BasePermission):
        def has_permission(self, request: Request, view: Any) -> bool:
            return bool(request.user and access_for(request.user).can(perm))

    HasPerm.__name__ = f"Has{perm.name.title().replace('_', '')}"
    return HasPerm


def caller(request: Request) -> User:
    """The authenticated user of an API request (every endpoint requires one)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user
