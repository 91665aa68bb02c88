from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "heed.core"
    label = "core"

    def ready(self) -> None:
        from heed.core import deployment_checks  # noqa: F401  (registers the system checks)
