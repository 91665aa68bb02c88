"""Core tasks: keeping planner statistics fresh after bulk loads."""

from celery import shared_task
from django.apps import apps

from heed.core.statistics import tables_analyze


@shared_task
def tables_analyze_task(model_labels: list[str]) -> list[str]:
    """ANALYZE the tables of these models (``app_label.Model``) whose statistics are stale."""
    return tables_analyze([apps.get_model(label) for label in model_labels], only_if_stale=True)
