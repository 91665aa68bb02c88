"""Celery application. Tasks go to HEED_BROKER_URL, or to the filesystem broker under HEED_DATA_DIR."""

import os

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

# The default mode's broker: kombu's filesystem transport writing each message atomically (heed.core.broker).
TRANSPORT_ALIASES.setdefault("heedfs", "heed.core.broker:Transport")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heed.settings")

app = Celery("heed")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
