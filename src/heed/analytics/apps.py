from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "heed.analytics"
    label = "analytics"

    def ready(self) -> None:
        from heed.analytics.ingestion_handlers import rollup_days_changed, rollup_days_rescored
        from heed.responses.handlers import (
            ResponsesDeleted,
            ResponsesRescored,
            ResponsesStored,
            responses_handler_register,
        )

        for event in (ResponsesStored, ResponsesDeleted):
            responses_handler_register(event=event, name="analytics.rollup_days", phase="in_transaction",
                                       handler=rollup_days_changed)  # fmt: skip
        responses_handler_register(event=ResponsesRescored, name="analytics.rollup_days", phase="in_transaction",
                                   handler=rollup_days_rescored)  # fmt: skip
