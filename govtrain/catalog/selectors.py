"""Reads of the catalog. Providers, centres, rooms and topics are public reference data."""

from django.db.models import QuerySet

from govtrain.catalog.models import Centre, Provider, Topic, Venue


def providers_all() -> QuerySet[Provider]:
    return Provider.objects.order_by("name_en")


def centres_all() -> QuerySet[Centre]:
    return Centre.objects.select_related("provider", "district").order_by("provider__code", "code")


def venues_of(*, centre: Centre) -> QuerySet[Venue]:
    return centre.venues.order_by("code")


def topics_all() -> QuerySet[Topic]:
    return Topic.objects.select_related("parent").order_by("name_en")
