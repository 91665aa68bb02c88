"""The default task mode for tests: the filesystem broker in a per-test folder and a worker in a thread.

``heed.celery_app.app`` is pointed at a fresh queue folder (so no other test or colleague's message reaches
it) with eager execution off; ``worker()`` starts a real Celery worker consuming it. The worker runs in a
thread of the test process so it reads the test database (see tests/integration/test_celery_worker.py for
why this works on SQLite's shared in-memory database and on PostgreSQL); tests need ``transactional_db``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from celery import Celery
from kombu import pools as kombu_pools

from heed.celery_app import app as celery_app
from heed.core import debounce


def _reset_producer_pools(app: Celery) -> None:
    """Drop cached broker connections so the next publish uses the current configuration."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    # kombu also keeps producer and connection pools per connection in module-level registries; a later
    # publish (eager tasks acquire a producer too) must not pick up one whose connections were closed here.
    kombu_pools.reset()


@dataclass
class FilesystemQueue:
    app: Celery
    folder: Path

    def move_to(self, folder: Path) -> None:
        """Queue into ``folder`` from now on (e.g. the queue folder of a worker process's data folder)."""
        options = dict(self.app.conf.broker_transport_options)
        self.app.conf.broker_transport_options = options | {"data_folder_in": str(folder),
                                                            "data_folder_out": str(folder)}  # fmt: skip
        _reset_producer_pools(self.app)
        self.folder = folder

    def messages(self) -> list[Path]:
        return sorted(self.folder.glob("*.msg"))

    @contextmanager
    def worker(self) -> Iterator[None]:
        from celery.contrib.testing.worker import start_worker

        with start_worker(self.app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield


def wait_until(condition: Callable[[], bool], timeout: float = 60.0, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


@pytest.fixture
def filesystem_queue(tmp_path) -> Iterator[FilesystemQueue]:
    folder = tmp_path / "queue"
    folder.mkdir()
    overrides = {
        "broker_url": "heedfs://",
        "broker_transport_options": {
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "processed_folder": str(tmp_path / "processed"),
            "control_folder": str(tmp_path / "control"),
            "store_processed": False,
            "polling_interval": 0.1,
        },
        "task_always_eager": False,
        "worker_hijack_root_logger": False,
        "worker_enable_remote_control": False,
    }
    saved = {key: celery_app.conf.get(key) for key in overrides}
    _reset_producer_pools(celery_app)
    debounce._due.clear()  # runs queued "soon" by an earlier test are not this test's
    celery_app.conf.update(overrides)
    try:
        yield FilesystemQueue(celery_app, folder)
    finally:
        _reset_producer_pools(celery_app)
        celery_app.conf.update(saved)
