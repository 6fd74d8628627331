from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "govtrain.audit"
    label = "audit"
