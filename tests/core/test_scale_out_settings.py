"""Issue 9, points 2 and 3: health endpoint, unique worker names, tasks that survive a dead worker, and the
warning when several nodes would each generate their own secret key."""

from __future__ import annotations

import os

import pytest
from django.core.checks import run_checks
from django.db import connection, connections

from heed.celery_app import app
from heed.core import health as health_module
from heed.core.management.commands.worker import worker_argv, worker_name


def test_health_is_ok_when_the_database_and_the_queue_answer(client, db):
    answer = client.get("/health/")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in answer["Cache-Control"]


def test_health_names_an_unreachable_redis_and_answers_503(client, db, settings, monkeypatch):
    settings.BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    answer = client.get("/health/")
    assert answer.status_code == 503
    assert answer.json() == {"status": "unavailable", "database": "ok", "broker": "unavailable"}


def test_health_is_ok_with_a_real_redis(client, db, settings, monkeypatch):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.BROKER_URL = "redis://127.0.0.1:6379/15"
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:6379/15")
    assert client.get("/health/").json()["broker"] == "ok"


def test_health_names_an_unreachable_database_and_answers_503(client, db, monkeypatch):
    broken = connections.create_connection("default")
    if connection.vendor == "postgresql":
        broken.settings_dict = {**broken.settings_dict, "PORT": "1"}
    else:
        broken.settings_dict = {**broken.settings_dict, "NAME": "/nonexistent-folder/heed.sqlite3"}
    monkeypatch.setattr(health_module, "connection", broken)
    answer = client.get("/health/")
    assert answer.status_code == 503
    assert answer.json()["database"] == "unavailable"


def test_health_accepts_only_get(client, db):
    assert client.post("/health/").status_code == 405


def test_two_workers_on_one_host_get_different_node_names():
    argv = worker_argv(concurrency=1, loglevel="INFO")
    assert f"--hostname=heed-{os.getpid()}@" in " ".join(argv)
    assert worker_name() != worker_name("other@host")
    assert f"--hostname={worker_name('w2@%h')}" in worker_argv(concurrency=1, loglevel="INFO", name="w2@%h")


def test_a_task_whose_worker_died_goes_back_to_the_queue_and_every_task_has_a_time_limit():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert 0 < app.conf.task_soft_time_limit < app.conf.task_time_limit


def test_several_nodes_without_a_shared_secret_key_get_a_warning(settings, monkeypatch):
    monkeypatch.delenv("HEED_SECRET_KEY", raising=False)
    settings.BROKER_URL = "redis://127.0.0.1:6379/0"
    assert "heed.W001" in {message.id for message in run_checks()}
    monkeypatch.setenv("HEED_SECRET_KEY", "shared-" + "x" * 50)
    assert "heed.W001" not in {message.id for message in run_checks()}
    monkeypatch.delenv("HEED_SECRET_KEY")
    settings.BROKER_URL = ""
    assert "heed.W001" not in {message.id for message in run_checks()}
