"""``heed scheduler``: only the periodic scheduler (Celery beat), for deployments with several workers.

Exactly one scheduler may run per deployment: it queues the periodic reconciliation (rollups, annotations,
weighting, invitations) and session clearing for the workers (``heed worker --no-beat``). A single-machine
install needs none: ``heed worker`` (and the worker ``heed serve`` starts) embeds the scheduler."""

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run only the periodic scheduler (Celery beat); run exactly one per deployment."

    def add_arguments(self, parser):
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args, loglevel: str, **options):
        from heed.celery_app import app

        app.start(["beat", f"--loglevel={loglevel}", f"--schedule={settings.CELERY_BEAT_SCHEDULE_FILENAME}"])
