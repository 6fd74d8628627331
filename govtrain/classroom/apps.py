from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "govtrain.classroom"
    label = "classroom"
