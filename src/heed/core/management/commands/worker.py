"""``heed worker``: a Celery worker with the periodic scheduler (beat) embedded.

With HEED_BROKER_URL it consumes that broker (run one or more next to ``heed serve``); without it, the
filesystem broker under HEED_DATA_DIR (``heed serve`` starts one such worker itself)."""

from django.conf import settings
from django.core.management.base import BaseCommand


def worker_argv(*, concurrency: int, loglevel: str, beat: bool = True) -> list[str]:
    """The ``celery worker`` arguments Heed uses: prefetch one, beat embedded, its schedule in the data folder."""
    argv = ["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}"]
    if beat:
        argv += ["--beat", f"--schedule={settings.CELERY_BEAT_SCHEDULE_FILENAME}"]
    if not settings.BROKER_URL:  # the filesystem broker has no fan-out: no gossip, mingle or heartbeats
        argv += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    return argv


class Command(BaseCommand):
    help = "Start a Celery worker (with the periodic scheduler) that runs Heed's background tasks."

    def add_arguments(self, parser):
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument("--loglevel", default="INFO")
        parser.add_argument("--no-beat", action="store_true", help="Do not run the periodic scheduler here.")

    def handle(self, *args, concurrency: int, loglevel: str, no_beat: bool, **options):
        from heed.celery_app import app

        app.worker_main(worker_argv(concurrency=concurrency, loglevel=loglevel, beat=not no_beat))
