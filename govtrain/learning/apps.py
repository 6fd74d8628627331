from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "govtrain.learning"
    label = "learning"
