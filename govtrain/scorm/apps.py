from django.apps import AppConfig


class ScormConfig(AppConfig):
    name = "govtrain.scorm"
    label = "scorm"
