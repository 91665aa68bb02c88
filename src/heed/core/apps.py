from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "heed.core"
    label = "core"

    def ready(self) -> None:
        from heed.core import deployment_checks  # noqa: F401  (registers the system checks)
        from heed.core.paths import register

        register()  # the <dbid:...> path converter: ids beyond 64 bits are 404, not a driver overflow
