from django.apps import AppConfig


class ExternalConfig(AppConfig):
    name = "govtrain.external"
    label = "external"
