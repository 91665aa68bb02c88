"""Periodic housekeeping tasks that belong to no domain app."""

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
