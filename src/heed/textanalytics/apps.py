from django.apps import AppConfig


class TextAnalyticsConfig(AppConfig):
    name = "heed.textanalytics"
    label = "textanalytics"

    def ready(self) -> None:
        from heed.responses.handlers import ResponsesStored, responses_handler_register
        from heed.textanalytics.ingestion_handlers import comments_to_read

        responses_handler_register(event=ResponsesStored, name="textanalytics.comments", phase="after_commit",
                                   handler=comments_to_read)  # fmt: skip
