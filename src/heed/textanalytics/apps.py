from django.apps import AppConfig


class TextAnalyticsConfig(AppConfig):
    name = "heed.textanalytics"
    label = "textanalytics"
