"""``heed worker``: start a Celery worker (needs HEED_BROKER_URL)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Start a Celery worker that runs Heed's background tasks."

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args, concurrency: int, loglevel: str, **options):
        if not settings.BROKER_URL:
            raise CommandError("Set HEED_BROKER_URL (e.g. redis://127.0.0.1:6379/0) to run a worker.")
        from heed.celery_app import app

        app.worker_main(["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}"])
