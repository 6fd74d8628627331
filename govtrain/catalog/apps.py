from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogConfig(AppConfig):
    name = "govtrain.catalog"
    label = "catalog"

    def ready(self) -> None:
        from govtrain.catalog.search import repair_index

        post_migrate.connect(repair_index, sender=self, dispatch_uid="catalog_search_repair")
