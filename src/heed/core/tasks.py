"""Periodic housekeeping tasks that belong to no domain app (expired sessions, planner statistics)."""

from __future__ import annotations

from importlib import import_module

from celery import shared_task
from django.conf import settings


@shared_task(name="heed.core.sessions_clear_expired")
def sessions_clear_expired_task() -> None:
    """Delete expired sessions (respondents' and staff's) with the session engine's own cleanup.

    Scheduled in ``CELERY_BEAT_SCHEDULE``; the same as ``manage.py clearsessions``.
    """
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


@shared_task
def tables_analyze_task(model_labels: list[str]) -> list[str]:
    """ANALYZE the tables of these models (``app_label.Model``) whose statistics are stale (after bulk loads)."""
    from django.apps import apps

    from heed.core.statistics import tables_analyze

    return tables_analyze([apps.get_model(label) for label in model_labels], only_if_stale=True)
