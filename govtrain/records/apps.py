from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "govtrain.records"
    label = "records"
