from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "heed.governance"
    label = "governance"
    verbose_name = "Governance (audit log)"
    default_auto_field = "django.db.models.BigAutoField"
