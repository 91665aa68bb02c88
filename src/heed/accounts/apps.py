from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "heed.accounts"
    label = "accounts"
