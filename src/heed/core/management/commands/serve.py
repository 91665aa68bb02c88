"""``heed serve``: serve Heed with waitress (static files through WhiteNoise) and, without a broker
server, the background worker next to it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Background work yields the CPU to requests (nice 10); on Linux the kernel stops the worker when the
    server process dies (even by kill -9)."""
    os.nice(10)
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def worker_start(*, concurrency: int = 1, loglevel: str = "WARNING") -> subprocess.Popen:
    """Start ``heed worker`` (with beat) as a child process. Returns the process; the caller stops it."""
    command = [sys.executable, "-m", "heed.cli", "worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}"]
    return subprocess.Popen(command, preexec_fn=_die_with_parent if sys.platform == "linux" else None)


def _stop_on_sigterm(_signum, _frame) -> None:
    raise SystemExit(0)


class Command(BaseCommand):
    help = "Serve Heed over HTTP with a production WSGI server (waitress) and start its background worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--worker",
            choices=["auto", "yes", "no"],
            default="auto",
            help="start a background worker: auto = only without HEED_BROKER_URL (then `heed worker` runs apart)",
        )
        parser.add_argument("--worker-concurrency", type=int, default=1)

    def handle(self, *args, host: str, port: int, threads: int, worker: str, worker_concurrency: int, **options):
        from waitress import serve

        from heed.wsgi import application

        signal.signal(signal.SIGTERM, _stop_on_sigterm)  # so `finally` stops the worker too
        child = None
        if worker == "yes" or (worker == "auto" and not settings.BROKER_URL):
            child = worker_start(concurrency=worker_concurrency)
            self.stdout.write(f"Background worker started (process {child.pid}).")
        self.stdout.write(f"Heed is serving at http://{host}:{port}/  (Ctrl+C stops it)")
        try:
            serve(application, host=host, port=port, threads=threads)
        finally:
            if child is not None:
                child.send_signal(signal.SIGTERM)
                try:
                    child.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    child.kill()
