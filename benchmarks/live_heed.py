"""What the API benchmarks share: a fresh database, the environment of a Heed process, a Django script run in a
child process, and a real ``heed serve`` on a free loopback port (imported by ``bench_ingest.py`` and
``bench_fieldwork_sync.py``; not a benchmark itself)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEED = [sys.executable, "-m", "heed.cli"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def heed_env(database_url: str, data_dir: str) -> dict[str, str]:
    """This process's environment for a Heed child on ``database_url``, in the default mode (no broker)."""
    env = dict(
        os.environ, HEED_DATABASE_URL=database_url, HEED_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="heed.settings"
    )
    env.pop("HEED_BROKER_URL", None)
    env.pop("HEED_TASKS_EAGER", None)
    return env


def fresh_pg(url: str) -> None:
    """Drop and create the PostgreSQL database named at the end of ``url``."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def django_script(code: str, env: dict[str, str]) -> dict:
    """Run ``code`` in a child Python; returns the JSON object on its last line of output."""
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_clients(client: Callable[[int], None], count: int) -> float:
    """Run ``client(0)`` .. ``client(count - 1)`` in threads at once; returns the wall-clock seconds until all end."""
    threads = [threading.Thread(target=client, args=(w,)) for w in range(count)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start


class Server:
    """``heed serve`` (waitress, 8 threads, ``extra`` arguments, its worker as ``HEED_BENCH_WORKER`` says) on a
    free loopback port, started in its own process group."""

    def __init__(self, env: dict[str, str], extra: tuple[str, ...] = ()) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [*HEED, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--threads", "8", *extra,
             "--worker", os.environ.get("HEED_BENCH_WORKER", "auto")],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("heed serve did not start")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the web process so far (Linux /proc; its worker is another process)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """Stop the server and its worker (the whole process group), so the anchor runs on an idle database."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
