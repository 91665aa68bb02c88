"""`heed serve` in the default mode (no HEED_BROKER_URL) starts the background worker itself: a response
posted to the running server is answered at once and its comment is read by that worker moments later.

The server runs as a real process on loopback with its own SQLite file in a temporary HEED_DATA_DIR, as
`make demo` runs it; the test talks to it over HTTP only.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytestmark = pytest.mark.background_worker

SETUP = """
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from heed.accounts.models import Role
from heed.accounts.services import api_token_create, organisation_create, user_create
from heed.surveys.services import survey_create, survey_publish
org = organisation_create(name="Acme", slug="acme", brand="Acme", languages=["en"], default_language="en")
user = user_create(organisation=org, username="ana", password="correct-horse-battery", role=Role.ANALYST)
survey = survey_create(organisation=org, title="Visit", created_by=user, languages=["en"], default_language="en",
                       template_key="transaction_csat")
survey_publish(survey=survey, actor=user)
print(json.dumps({"survey": survey.id, "token": api_token_create(user=user, name="t")[1]}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _request(url: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Authorization": f"Bearer {token}",
                                                              "Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


def test_heed_serve_runs_the_worker_that_reads_comments(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"HEED_BROKER_URL", "HEED_DATABASE_URL", "HEED_TASKS_EAGER"}}
    env |= {"HEED_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "heed.settings", "HEED_RECONCILE_SECONDS": "5"}
    setup = subprocess.run([sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, check=True)
    ids = json.loads(setup.stdout.strip().splitlines()[-1])
    port = _free_port()
    command = [sys.executable, "-m", "heed.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}/api"
    try:
        assert "Background worker started" in server.stdout.readline()
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "heed serve did not start"
                time.sleep(0.2)
        answers = {"csat": 2, "nps": 3, "comment": "The delivery was late and the staff were rude."}
        status, body = _request(f"{base}/responses", ids["token"], {"survey_id": ids["survey"], "answers": answers})
        assert status == 201
        comment = next(a for a in body["answers"] if a["question_key"] == "comment")
        assert comment["annotation"] is None  # answered before any text analysis ran

        deadline = time.monotonic() + 90
        while True:
            _status, listed = _request(f"{base}/responses?limit=5", ids["token"])
            (answer,) = [a for r in listed["items"] for a in r["answers"] if a["question_key"] == "comment"]
            if answer["annotation"] is not None:
                break
            assert time.monotonic() < deadline, "the worker started by heed serve never read the comment"
            time.sleep(0.5)
        assert answer["annotation"]["sentiment"] in {"negative", "neutral", "positive"}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    assert not list((tmp_path / "broker" / "queue").glob("*.msg"))
