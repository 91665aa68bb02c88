"""``heed serve``: serve Heed with waitress (static files through WhiteNoise) in one or more processes and,
without a broker server, the background worker next to them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections


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


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # As waitress does for the sockets it opens itself: no Nagle delay on small responses (accepted
    # connections inherit the option on Linux).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host.strip("[]"), port))
    sock.listen(1024)
    return sock


def _freeze_loaded_objects() -> None:
    """Load the URL configuration (every view, API router and schema), then move every object alive now into
    the garbage collector's permanent generation: they live as long as the process, and without this each
    full collection walked all of them (about 190,000) again; a 500-interview sync spent a fifth of its CPU
    time so. Forked web processes also keep sharing these pages instead of copying them."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the views and builds the API routers
    gc.collect()
    gc.freeze()


def _default_processes() -> int:
    """One web process per core, at most four (Python runs one request at a time per process)."""
    return max(1, min(4, os.cpu_count() or 1)) if hasattr(os, "fork") else 1


class Command(BaseCommand):
    help = "Serve Heed over HTTP with a production WSGI server (waitress) and start its background worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8, help="threads per web process")
        parser.add_argument(
            "--processes",
            type=int,
            default=int(os.environ.get("HEED_WEB_PROCESSES", "0")) or _default_processes(),
            help="web processes sharing the port (default: one per core, at most 4; HEED_WEB_PROCESSES)",
        )
        parser.add_argument(
            "--worker",
            choices=["auto", "yes", "no"],
            default="auto",
            help="start a background worker: auto = only without HEED_BROKER_URL (then `heed worker` runs apart)",
        )
        parser.add_argument("--worker-concurrency", type=int, default=1)

    def handle(self, *args, host, port, threads, processes, worker, worker_concurrency, **options):
        from waitress import serve

        from heed.wsgi import application

        signal.signal(signal.SIGTERM, _stop_on_sigterm)  # so `finally` stops the worker and web processes too
        child = None
        if worker == "yes" or (worker == "auto" and not settings.BROKER_URL):
            child = worker_start(concurrency=worker_concurrency)
            self.stdout.write(f"Background worker started (process {child.pid}).")
        sock = _listen(host, port)
        _freeze_loaded_objects()
        connections.close_all()  # no database connection may be shared by forked processes
        self.stdout.write(f"Heed is serving at http://{host}:{port}/ with {processes} process(es)  (Ctrl+C stops it)")
        self.stdout.flush()
        web: list[int] = []
        try:
            if processes <= 1:
                serve(application, sockets=[sock], threads=threads)
                return
            for _ in range(processes):
                pid = os.fork()
                if pid == 0:  # pragma: no cover - a web process
                    signal.signal(signal.SIGTERM, _stop_on_sigterm)
                    try:
                        serve(application, sockets=[sock], threads=threads)
                    finally:
                        os._exit(0)
                web.append(pid)
            while web:
                pid, _status = os.wait()
                if pid in web:  # a web process died: stop the others too
                    web.remove(pid)
                    break
        finally:
            for pid in web:
                try:
                    os.kill(pid, signal.SIGTERM)
                    os.waitpid(pid, 0)
                except (ProcessLookupError, ChildProcessError):
                    pass
            if child is not None:
                child.send_signal(signal.SIGTERM)
                try:
                    child.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    child.kill()
