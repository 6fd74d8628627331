from django.db.models import QuerySet

from govtrain.catalog.models import Provider


def providers_all() -> QuerySet[Provider]:
    return Provider.objects.order_by("name_en")
