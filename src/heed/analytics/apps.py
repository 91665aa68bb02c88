from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "heed.analytics"
    label = "analytics"

    def ready(self) -> None:
        from heed.analytics.queries.kinds import register_analytics_queries

        register_analytics_queries()
