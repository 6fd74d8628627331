from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "govtrain.assessments"
    label = "assessments"
