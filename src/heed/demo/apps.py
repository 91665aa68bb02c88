from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "heed.demo"
    label = "demo"
