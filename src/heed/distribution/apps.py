from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "heed.distribution"
    label = "distribution"
