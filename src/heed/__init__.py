"""Heed: open-source, self-hosted Voice-of-Customer platform."""

from heed.celery_app import app as celery_app

__all__ = ["celery_app"]
__version__ = "0.1.0"
