from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "govtrain.core"
    label = "core"
