from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "heed.core"
    label = "core"
