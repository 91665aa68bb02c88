"""The Celery path for real: Redis as broker, an embedded worker, and an SMTP server on localhost.

``invitations_create`` queues one ``invitation_email_send_task`` per invitation after the transaction
commits; the worker picks them up from Redis and sends the mail through Django's SMTP backend to an
aiosmtpd server that keeps every message.

Isolation: the broker is Redis database 15 and every key this test makes is prefixed with a per-run
``global_keyprefix``, so a stale message from an earlier run, or a colleague running the same test
against the same Redis, never reaches this worker; the keys are deleted afterwards.

Database: the worker runs in a thread of the test process (``start_worker``), so it reads the very
test database the test writes: on PostgreSQL through its own connection to the test database, on
SQLite through Django's shared-cache in-memory test database (``file:memorydb_default?mode=memory&
cache=shared``), which every connection of the process sees. ``transactional_db`` matters: the
invitations must really be committed for ``on_commit`` to fire and for the worker to see the rows.
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from celery import Celery
from celery.signals import task_prerun
from django.db import transaction

from heed.accounts.models import Role
from heed.accounts.services import organisation_create, user_create
from heed.celery_app import app as celery_app
from heed.distribution.models import Invitation
from heed.distribution.services import invitation_public_url, invitations_create, link_create
from heed.surveys.services import survey_create, survey_publish

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

REDIS_URL = "redis://127.0.0.1:6379/15"
WAIT_SECONDS = 20


def _redis():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {exc}")
    return client


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Inbox:
    """aiosmtpd handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float) -> list[tuple[list[str], email.message.EmailMessage]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.05)
        with self._lock:
            return list(self.messages)


@pytest.fixture
def smtp_inbox(settings) -> Iterator[_Inbox]:
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    try:
        yield inbox
    finally:
        controller.stop()


def _reset_producer_pools(app) -> None:
    """Drop the cached broker connection pools so the next publish uses the current configuration.

    Celery caches them in private attributes and has no public reset other than ``app.close()``, which
    would also deregister the app (and with it the registration of shared tasks imported later).
    """
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None


@dataclass
class _Broker:
    app: Celery
    redis: Any
    prefix: str


@pytest.fixture
def redis_celery() -> Iterator[_Broker]:
    """heed.celery_app.app pointed at Redis db 15 under a per-run key prefix; restored afterwards."""
    client = _redis()
    prefix = f"heed-test-{uuid.uuid4().hex[:12]}:"
    overrides = {
        "broker_url": REDIS_URL,
        "broker_transport_options": {"global_keyprefix": prefix},
        "broker_connection_retry_on_startup": False,
        "task_always_eager": False,
        "worker_hijack_root_logger": False,
    }
    saved = {key: celery_app.conf.get(key) for key in overrides}
    _reset_producer_pools(celery_app)
    celery_app.conf.update(overrides)
    try:
        yield _Broker(celery_app, client, prefix)
    finally:
        _reset_producer_pools(celery_app)
        celery_app.conf.update(saved)
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()


def test_invitation_emails_go_through_redis_and_a_real_worker(redis_celery, smtp_inbox):
    from celery.contrib.testing.worker import start_worker

    org = organisation_create(
        name="Acme Retail", slug="acme", brand="Acme", languages=["en", "it"], default_language="en"
    )
    analyst = user_create(organisation=org, username="ana", password="correct-horse-battery", role=Role.ANALYST)
    survey = survey_create(
        organisation=org,
        title="After your visit",
        created_by=analyst,
        languages=["en", "it"],
        default_language="en",
        template_key="transaction_csat",
    )
    survey_publish(survey=survey, actor=analyst)
    link = link_create(survey=survey, name="E-mail")
    recipients = [("giulia@example.com", "Giulia"), ("marko@example.com", "Marko")]

    runs: list[tuple[str, bool, str, str]] = []

    def record(sender=None, task=None, **_kwargs) -> None:
        delivery = task.request.delivery_info or {}
        runs.append(
            (task.name, bool(task.request.is_eager), delivery.get("routing_key") or "", threading.current_thread().name)
        )

    task_prerun.connect(record, weak=False)
    try:
        with start_worker(redis_celery.app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            with transaction.atomic():  # the outer block commits; on_commit then queues the tasks
                invitations = invitations_create(link=link, recipients=recipients)
                assert Invitation.objects.filter(link=link, sent_at__isnull=False).count() == 0
            messages = smtp_inbox.wait_for(len(recipients), timeout=WAIT_SECONDS)
            assert len(messages) == len(recipients), f"{len(messages)} e-mails arrived within {WAIT_SECONDS} s"
            messages = smtp_inbox.wait_for(len(recipients) + 1, timeout=0.3)  # a duplicate would arrive now
            assert list(redis_celery.redis.scan_iter(match=f"{redis_celery.prefix}*")), "nothing went through Redis"
    finally:
        task_prerun.disconnect(record)

    # Both tasks ran in the worker thread, consumed from the broker (not eagerly in the test thread).
    assert len(runs) == len(recipients)
    assert {name for name, *_ in runs} == {"heed.distribution.tasks.invitation_email_send_task"}
    queue = redis_celery.app.conf.task_default_queue
    assert all(
        not eager and routing_key == queue and thread != threading.current_thread().name
        for _name, eager, routing_key, thread in runs
    ), runs
    assert len(messages) == len(recipients)
    by_recipient = {tuple(rcpt): message for rcpt, message in messages}
    assert set(by_recipient) == {(address,) for address, _name in recipients}
    for invitation in invitations:
        invitation.refresh_from_db()
        message = by_recipient[(invitation.email,)]
        assert message["To"] == invitation.email
        assert "Acme" in message["Subject"]
        assert message["Subject"] == "Acme: After your visit"
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert f"/i/{invitation.token}/" in body
        assert invitation_public_url(invitation) in body
        assert f"Hello {invitation.name}," in body
        other_tokens = [i.token for i in invitations if i.pk != invitation.pk]
        assert not any(token in body for token in other_tokens)
        assert invitation.sent_at is not None
