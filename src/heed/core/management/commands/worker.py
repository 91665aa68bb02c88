"""``heed worker``: a Celery worker with the periodic scheduler (beat) embedded.

With HEED_BROKER_URL it consumes that broker (run one or more next to ``heed serve``); without it, the
filesystem broker under HEED_DATA_DIR (``heed serve`` starts one such worker itself)."""

import os
import socket

from django.conf import settings
from django.core.management.base import BaseCommand


def worker_name(name: str | None = None) -> str:
    """The worker's node name, unique on its host: ``heed-<process id>@<host>`` unless one is given, so that two
    workers on one host (or in two containers with the same host name) never share one."""
    return name or f"heed-{os.getpid()}@{socket.gethostname()}"


QUEUES = "celery,retrain"  # the default queue and the one retraining goes to (CELERY_TASK_ROUTES)


def worker_argv(
    *, concurrency: int, loglevel: str, beat: bool = True, name: str | None = None, queues: str = QUEUES
) -> list[str]:
    """The ``celery worker`` arguments Heed uses: a unique node name, the queues it consumes, prefetch one, beat
    embedded (only one worker of a deployment may run it: pass ``--no-beat`` to the others), its schedule in
    the data folder."""
    argv = ["worker", f"--hostname={worker_name(name)}", f"--queues={queues}", f"--concurrency={concurrency}",
            f"--loglevel={loglevel}"]  # fmt: skip
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
        parser.add_argument(
            "--no-beat",
            action="store_true",
            help="Do not run the periodic scheduler here (run it in exactly one worker of a deployment).",
        )
        parser.add_argument("--name", default=None, help="node name (default: heed-<process id>@<host name>)")
        parser.add_argument("--queues", default=QUEUES, help=f"queues to consume, comma-separated (default {QUEUES})")

    def handle(self, *args, concurrency: int, loglevel: str, no_beat: bool, name: str | None, queues: str, **options):
        from heed.celery_app import app

        app.worker_main(
            worker_argv(concurrency=concurrency, loglevel=loglevel, beat=not no_beat, name=name, queues=queues)
        )
