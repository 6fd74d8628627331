from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "govtrain.notifications"
    label = "notifications"
