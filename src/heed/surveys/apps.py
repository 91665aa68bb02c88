from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "heed.surveys"
    label = "surveys"
