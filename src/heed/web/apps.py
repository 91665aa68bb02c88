from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "heed.web"
    label = "web"
