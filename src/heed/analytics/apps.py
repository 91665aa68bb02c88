from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "heed.analytics"
    label = "analytics"
