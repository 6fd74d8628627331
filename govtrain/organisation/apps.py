from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "govtrain.organisation"
    label = "organisation"
