from django.apps import AppConfig


class LrsConfig(AppConfig):
    name = "govtrain.lrs"
    label = "lrs"
