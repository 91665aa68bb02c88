"""Issue 9, point 1: a retrain storm cannot happen. Twenty text-analysis tasks find a retraining due at once
(the scored comments grew past the threshold); through Redis and a real worker, exactly one retraining runs,
on its own queue, and the claim is released when it ends.

Without the single-flight claim every one of those tasks queued its own retraining (the issue saw 797 in four
minutes, each re-reading the whole organisation)."""

from __future__ import annotations

import threading
import time

import pytest
from celery.signals import task_postrun
from django.core.cache import cache

from heed.responses.services import Submission, responses_submit_many
from heed.textanalytics.models import SentimentTrainingRun
from heed.textanalytics.services import RETRAIN_MINIMUM, sentiment_model_retrain_due
from heed.textanalytics.tasks import _retrain_claim_key, annotations_refresh_task, sentiment_model_retrain_request
from tests.conftest import VALID_INTERCEPT
from tests.integration.test_celery_worker import redis_celery  # noqa: F401  (fixture)

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

STORM = 20
PHRASES = ["The staff were wonderful and kind", "Terrible queue, nobody helped me", "Fine, nothing special",
           "Great prices and friendly people", "Rude cashier and dirty floor"]  # fmt: skip


def _scored_comments(world, count: int) -> None:
    items = [
        (Submission(survey=world.survey, language="en", client_key=f"c-{i}"),
         VALID_INTERCEPT | {"nps": (0, 10, 7, 9, 2)[i % 5], "comment": f"{PHRASES[i % 5]} (visit {i})."})
        for i in range(count)
    ]  # fmt: skip
    assert {o.status for o in responses_submit_many(items=items)} == {"created"}


def test_a_storm_of_text_tasks_starts_one_retraining(world, redis_celery):  # noqa: F811
    from celery.contrib.testing.worker import start_worker

    _scored_comments(world, RETRAIN_MINIMUM + 10)
    assert sentiment_model_retrain_due(organisation=world.org)
    finished: list[tuple[str, str]] = []
    lock = threading.Lock()

    def record(sender=None, task=None, state=None, **_kwargs) -> None:
        with lock:
            finished.append((task.name, task.request.delivery_info.get("routing_key") or ""))

    for _ in range(STORM):
        annotations_refresh_task.delay(world.org.id)
    task_postrun.connect(record, weak=False)
    try:
        with start_worker(redis_celery.app, pool="solo", perform_ping_check=False, shutdown_timeout=60,
                          queues=["celery", "retrain"]):  # fmt: skip
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline:
                with lock:
                    retrains = [f for f in finished if f[0].endswith("sentiment_model_retrain_task")]
                    texts = [f for f in finished if f[0].endswith("annotations_refresh_task")]
                if retrains and len(texts) >= STORM:
                    break
                time.sleep(0.2)
            time.sleep(2)  # a second retraining, if queued, would run now
    finally:
        task_postrun.disconnect(record)
    retrains = [f for f in finished if f[0].endswith("sentiment_model_retrain_task")]
    assert len(retrains) == 1, finished
    assert retrains[0][1] == "retrain"  # on its own queue
    assert SentimentTrainingRun.objects.filter(organisation=world.org).count() == 1
    assert cache.get(_retrain_claim_key(world.org.id)) is None  # released when it ended


def test_a_claim_is_taken_once_until_released(world):
    cache.delete(_retrain_claim_key(world.org.id))
    cache.add(_retrain_claim_key(world.org.id), "claimed", timeout=60)  # as a queued retraining holds it
    assert sentiment_model_retrain_request(world.org.id) is False
    assert not SentimentTrainingRun.objects.exists()
    cache.delete(_retrain_claim_key(world.org.id))
