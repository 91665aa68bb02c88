from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    name = "heed.responses"
    label = "responses"
