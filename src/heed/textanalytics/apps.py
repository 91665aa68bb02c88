from django.apps import AppConfig


class TextAnalyticsConfig(AppConfig):
    name = "heed.textanalytics"
    label = "textanalytics"

    def ready(self) -> None:
        from heed.responses.handlers import ResponsesStored, responses_handler_register
        from heed.textanalytics.ingestion_handlers import comments_to_read
        from heed.textanalytics.text_items import on_responses_created

        # In the storing transaction: the text items of the new open-text answers (an item exists exactly when
        # its answer does); after commit: their reading is queued.
        responses_handler_register(event=ResponsesStored, name="textanalytics.text_items", phase="in_transaction",
                                   handler=on_responses_created)  # fmt: skip
        responses_handler_register(event=ResponsesStored, name="textanalytics.comments", phase="after_commit",
                                   handler=comments_to_read)  # fmt: skip

        from heed.textanalytics.queries import register_text_queries

        register_text_queries()
