"""Reads of the catalog. Providers, centres, rooms and topics are public reference data."""

from django.db.models import QuerySet

from govtrain.accounts.access import Perm, access_for
from govtrain.accounts.models import User
from govtrain.catalog.models import Centre, Course


def centres_all() -> QuerySet[Centre]:
    return Centre.objects.select_related("provider", "district").order_by("provider__code", "code")


def courses_published() -> QuerySet[Course]:
    """What every employee sees in the catalog."""
    return Course.objects.filter(is_published=True).select_related("provider", "topic")


def courses_managed_by(*, user: User) -> QuerySet[Course]:
    """Every course, published or not, of the providers the user manages."""
    access = access_for(user)
    courses = Course.objects.select_related("provider", "topic").order_by("code")
    if Perm.CATALOG_MANAGE in access.everywhere:
        return courses
    if not access.can(Perm.CATALOG_MANAGE):
        return courses.none()
    return courses.filter(provider_id__in=access.providers)
