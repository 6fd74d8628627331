from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "govtrain.people"
    label = "people"
