"""Reading SCORM packages, scoped to who may see them."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.scorm.models import Package


def packages_visible_to(user: User) -> QuerySet[Package]:
    """Packages of the institutes the user manages content for; all for state-wide roles."""
    access = access_for(user)
    packages = (
        Package.objects.select_related("provider")
        .annotate(sco_count=Count("scos"))
        .order_by("-created_at", "-pk")
    )
    if Perm.CATALOG_MANAGE in access.everywhere:
        return packages
    if not access.can(Perm.CATALOG_MANAGE):
        return packages.none()
    return packages.filter(provider_id__in=access.providers)


def package_get_for(*, user: User, pk: int) -> Package:
    """One package the user may see; 404 otherwise (no leaks about others' content)."""
    return get_object_or_404(packages_visible_to(user), pk=pk)
