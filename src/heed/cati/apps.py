from django.apps import AppConfig


class CatiConfig(AppConfig):
    name = "heed.cati"
    label = "cati"
    verbose_name = "Phone interviewing (CATI)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from heed.cati.handlers import register

        register()
