from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "heed.fieldwork"
    label = "fieldwork"
    verbose_name = "Fieldwork (devices, assignments, quotas)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from heed.fieldwork.quota_counting import quotas_count_stored
        from heed.responses.handlers import ResponsesStored, responses_handler_register

        responses_handler_register(event=ResponsesStored, name="fieldwork.quotas", phase="in_transaction",
                                   handler=quotas_count_stored)  # fmt: skip
