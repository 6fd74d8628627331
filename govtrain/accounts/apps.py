from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "govtrain.accounts"
    label = "accounts"
