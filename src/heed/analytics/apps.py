from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "heed.analytics"
    label = "analytics"

    def ready(self) -> None:
        from heed.analytics.ingestion_handlers import (
            rollup_days_changed,
            rollup_days_rescored,
            weighting_schemes_deleted,
            weighting_schemes_reviewed,
        )
        from heed.responses.handlers import (
            ResponsesDeleted,
            ResponsesRescored,
            ResponsesReviewed,
            ResponsesStored,
            responses_handler_register,
        )

        # A review changes what figures count (rejected responses are left out): its days are marked like a change.
        for event in (ResponsesStored, ResponsesDeleted, ResponsesReviewed):
            responses_handler_register(event=event, name="analytics.rollup_days", phase="in_transaction",
                                       handler=rollup_days_changed)  # fmt: skip
        responses_handler_register(event=ResponsesRescored, name="analytics.rollup_days", phase="in_transaction",
                                   handler=rollup_days_rescored)  # fmt: skip
        # A rejection, an approval of a rejected response or an edit changes whom weights are computed for.
        responses_handler_register(event=ResponsesReviewed, name="analytics.weighting_schemes",
                                   phase="in_transaction", handler=weighting_schemes_reviewed)  # fmt: skip
        # So does deleting a response (its weight goes with it).
        responses_handler_register(event=ResponsesDeleted, name="analytics.weighting_schemes",
                                   phase="in_transaction", handler=weighting_schemes_deleted)  # fmt: skip

        from heed.analytics.queries.kinds import register_analytics_queries

        register_analytics_queries()
