from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "govtrain.certificates"
    label = "certificates"
