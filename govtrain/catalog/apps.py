from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "govtrain.catalog"
    label = "catalog"
