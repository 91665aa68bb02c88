from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "heed.fieldwork"
    label = "fieldwork"
    verbose_name = "Fieldwork (devices, assignments, quotas, supervision)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from heed.fieldwork.interview_records import interview_records_store
        from heed.fieldwork.quota_counting import quotas_count_stored, quotas_recount_deleted, quotas_recount_reviewed
        from heed.responses.handlers import (
            ResponsesDeleted,
            ResponsesReviewed,
            ResponsesStored,
            responses_handler_register,
        )

        responses_handler_register(event=ResponsesStored, name="fieldwork.quotas", phase="in_transaction",
                                   handler=quotas_count_stored)  # fmt: skip
        responses_handler_register(event=ResponsesReviewed, name="fieldwork.quotas", phase="in_transaction",
                                   handler=quotas_recount_reviewed)  # fmt: skip
        responses_handler_register(event=ResponsesDeleted, name="fieldwork.quotas", phase="in_transaction",
                                   handler=quotas_recount_deleted)  # fmt: skip
        responses_handler_register(event=ResponsesStored, name="fieldwork.interview_records", phase="in_transaction",
                                   handler=interview_records_store)  # fmt: skip
