"""Issue 7, point 25 for real: kill -9 a `heed worker` process while it holds a text-analysis task, start a
new one, and the periodic reconciliation (Celery beat in the new worker) annotates every comment once.

Needs a database that another process can open: PostgreSQL (the test database); SQLite's test database
lives in this process's memory, so the test is skipped there (tests/integration/
test_background_default_mode.py simulates the lost task on both databases).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from heed.responses.models import Answer, Response
from heed.responses.services import Submission, responses_submit_many
from heed.textanalytics.models import TextAnnotation
from tests.conftest import VALID_INTERCEPT
from tests.integration.background import wait_until

pytestmark = [pytest.mark.celery_worker, pytest.mark.background_worker, pytest.mark.django_db(transaction=True)]

COMMENTS = 40


def _worker(tmp_path, reconcile_seconds: int) -> subprocess.Popen:
    db = settings.DATABASES["default"]
    url = f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = dict(os.environ, HEED_DATABASE_URL=url, HEED_DATA_DIR=str(tmp_path / "data"),
               HEED_RECONCILE_SECONDS=str(reconcile_seconds), DJANGO_SETTINGS_MODULE="heed.settings")  # fmt: skip
    env.pop("HEED_BROKER_URL", None)
    env.pop("HEED_TASKS_EAGER", None)
    return subprocess.Popen(
        [sys.executable, "-m", "heed.cli", "worker", "--concurrency=1", "--loglevel=WARNING"],
        env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _kill_group(process: subprocess.Popen, sig: int) -> None:
    """Signal the worker and its pool (its process group); a warm shutdown may finish its task first (30 s)."""
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def test_a_killed_worker_loses_a_task_and_the_next_worker_reconciles_it(world, filesystem_queue, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("another process cannot open SQLite's in-memory test database")
    # The worker processes read the same queue folder as this test writes (HEED_DATA_DIR/broker/queue).
    queue = tmp_path / "data" / "broker" / "queue"
    queue.mkdir(parents=True)
    filesystem_queue.move_to(queue)
    items = [
        (Submission(survey=world.survey, language="en", client_key=f"k-{i}"),
         VALID_INTERCEPT | {"comment": f"Comment {i}: the staff were slow today."})
        for i in range(COMMENTS)
    ]  # fmt: skip
    assert {o.status for o in responses_submit_many(items=items)} == {"created"}
    assert len(list(queue.glob("*.msg"))) == 2  # one rollup refresh, then one text-analysis run

    first = _worker(tmp_path, reconcile_seconds=3600)  # its beat will not reconcile before we kill it
    try:
        # The rollup refresh takes milliseconds; the text-analysis run, taken next, first loads its models.
        taken = wait_until(lambda: not list(queue.glob("*.msg")), timeout=60, step=0.02)
    finally:
        _kill_group(first, signal.SIGKILL)  # kill -9 of the worker (and its pool), mid-task
    assert taken, "the worker never took the queued tasks"
    annotated_at_kill = TextAnnotation.objects.count()
    if annotated_at_kill == COMMENTS:
        pytest.skip("the worker finished the task before it could be killed; nothing was lost this time")
    assert not list(queue.glob("*.msg"))  # the task is gone with the killed worker

    second = _worker(tmp_path, reconcile_seconds=2)
    try:
        assert wait_until(lambda: TextAnnotation.objects.count() == COMMENTS, timeout=120, step=0.5)
    finally:
        _kill_group(second, signal.SIGTERM)
    texts = Answer.objects.filter(question_type="text").exclude(text_value="")
    assert texts.count() == COMMENTS == Response.objects.count()
    assert sorted(TextAnnotation.objects.values_list("answer_id", flat=True)) == sorted(
        texts.values_list("id", flat=True)
    )
