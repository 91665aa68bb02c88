"""Issue 9, point 2 for real, on Redis: kill -9 the pool process that is running a text-analysis task; the
task goes back to the queue (``task_reject_on_worker_lost`` with late acknowledgement) and the worker's next
pool process reads every comment, with the periodic reconciliation switched off (an hour) so that only the
requeued task can have done it. Before, the killed task was acknowledged anyway and lost.

PostgreSQL only (the worker is a separate process and must open the test database)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from heed.celery_app import app as celery_app
from heed.core import debounce
from heed.responses.services import Submission, responses_submit_many
from heed.textanalytics.models import TextAnnotation
from tests.conftest import VALID_INTERCEPT
from tests.integration.background import _reset_producer_pools, wait_until

pytestmark = [pytest.mark.celery_worker, pytest.mark.background_worker, pytest.mark.django_db(transaction=True)]

REDIS_URL = "redis://127.0.0.1:6379/14"  # this test's own database, emptied before and after
COMMENTS = 60


@pytest.fixture
def redis_queue():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"Redis is not reachable: {exc}")
    client.flushdb()
    debounce._due.clear()  # runs queued "soon" by an earlier test are not this test's
    saved = {key: celery_app.conf.get(key) for key in ("broker_url", "broker_transport_options", "task_always_eager")}
    celery_app.conf.update(broker_url=REDIS_URL, broker_transport_options={}, task_always_eager=False)
    _reset_producer_pools(celery_app)
    try:
        yield client
    finally:
        celery_app.conf.update(saved)
        _reset_producer_pools(celery_app)
        client.flushdb()
        client.close()


def _worker(tmp_path: Path) -> subprocess.Popen:
    db = settings.DATABASES["default"]
    database = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = dict(os.environ, HEED_DATABASE_URL=database, HEED_BROKER_URL=REDIS_URL, HEED_DATA_DIR=str(tmp_path),
               HEED_RECONCILE_SECONDS="3600", DJANGO_SETTINGS_MODULE="heed.settings")  # fmt: skip
    env.pop("HEED_TASKS_EAGER", None)
    return subprocess.Popen(
        [sys.executable, "-m", "heed.cli", "worker", "--concurrency=1", "--no-beat", "--loglevel=WARNING"],
        env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _pool_children(worker: subprocess.Popen) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True, check=False).stdout
    return [int(pid) for pid in out.split()]


def _text_task_running(client) -> bool:
    """The text-analysis message is held, unacknowledged, by the worker, and its pool process is running it
    (Celery's remote control: ``inspect().active()``), not merely holding it in the worker's buffer."""
    held = [json.loads(raw) for raw in client.hvals("unacked")]  # kombu keeps [message, exchange, routing key]
    if not any(message["headers"]["task"].endswith("annotations_refresh_task") for message, _e, _r in held):
        return False
    active = celery_app.control.inspect(timeout=0.5).active() or {}
    return any(task["name"].endswith("annotations_refresh_task") for tasks in active.values() for task in tasks)


def test_a_killed_pool_process_returns_its_task_to_the_queue(world, redis_queue, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker process cannot open SQLite's in-memory test database")
    items = [
        (Submission(survey=world.survey, language="en", client_key=f"k-{i}"),
         VALID_INTERCEPT | {"comment": f"Comment {i}: the staff were slow and the queue was long."})
        for i in range(COMMENTS)
    ]  # fmt: skip
    assert {o.status for o in responses_submit_many(items=items)} == {"created"}
    worker = _worker(tmp_path)
    try:

        def running_or_done() -> bool:
            return _text_task_running(redis_queue) or TextAnnotation.objects.count() == COMMENTS

        assert wait_until(running_or_done, timeout=120, step=0.01), "the text-analysis task was never queued or taken"
        if TextAnnotation.objects.count() == COMMENTS:
            pytest.skip("the task finished before the pool process could be killed; nothing to recover this time")
        children = _pool_children(worker)
        assert len(children) == 1
        annotated_at_kill = TextAnnotation.objects.count()
        os.kill(children[0], signal.SIGKILL)  # kill -9 of the pool process, mid-task
        if annotated_at_kill == COMMENTS:
            pytest.skip("the task finished before the pool process was killed; nothing to recover this time")
        assert wait_until(lambda: TextAnnotation.objects.count() == COMMENTS, timeout=150, step=0.5), (
            f"{TextAnnotation.objects.count()} of {COMMENTS} comments read: the killed task was not run again"
        )
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
