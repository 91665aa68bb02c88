"""A real `heed serve` process on a free loopback port, on a database of its own, for the sync tests that need
a server to kill or many concurrent HTTP clients (SQLite: a file in a temporary directory; PostgreSQL when the
tests run on it: a database created next to the test database and dropped afterwards)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from tests.integration.background import wait_until
from tests.integration.test_serve_starts_worker import _free_port

SETUP = """
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from heed.accounts.models import Role, Unit
from heed.accounts.services import api_token_create, organisation_create, unit_create, user_create
from heed.surveys.services import survey_create, survey_publish
org = organisation_create(name="Acme", slug="acme", brand="Acme", languages=["en"], default_language="en")
store = unit_create(organisation=org, kind=Unit.Kind.STORE, name="Milano", code="S1")
analyst = user_create(organisation=org, username="ana", password="correct-horse-battery", role=Role.ANALYST)
interviewer = user_create(organisation=org, username="ivo", password="correct-horse-battery",
                          role=Role.INTERVIEWER, units=[store])
survey = survey_create(organisation=org, title="Visit", created_by=analyst, languages=["en"], default_language="en",
                       template_key="store_intercept")
survey_publish(survey=survey, actor=analyst)
print(json.dumps({"survey": survey.id, "unit": store.id, "token": api_token_create(user=interviewer, name="t")[1]}))
"""

COUNTS = """
import django, json
django.setup()
from django.db.models import Count
from heed.responses.models import Response
keys = Response.objects.values("client_key").annotate(n=Count("id"))
print(json.dumps({"rows": Response.objects.count(), "keys": {k["client_key"]: k["n"] for k in keys}}))
"""


@dataclass
class Served:
    env: dict[str, str]
    survey: int
    unit: int
    token: str
    port: int = 0
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.port = _free_port()
        command = [sys.executable, "-m", "heed.cli", "serve", "--port", str(self.port), "--worker", "no",
                   "--processes", "1", "--threads", "8"]  # fmt: skip
        self.process = subprocess.Popen(command, env=self.env, start_new_session=True, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)  # fmt: skip

        def up() -> bool:
            try:
                return urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health/", timeout=2).status == 200
            except OSError:
                return False

        assert wait_until(up, timeout=90, step=0.2), "heed serve did not start"

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Kill the server's whole process group (kill -9 by default) and reap it."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)

    def post(self, path: str, body: dict, timeout: float = 60) -> tuple[int, dict]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, {}

    def counts(self) -> dict:
        """{"rows": responses stored, "keys": client_key -> rows}, read by a separate process."""
        done = subprocess.run([sys.executable, "-c", COUNTS], env=self.env, capture_output=True, text=True, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])


def _postgres_database(name: str, create: bool) -> None:
    import psycopg

    params = connection.get_connection_params()
    params = {k: v for k, v in params.items() if k in {"host", "port", "user", "password"}}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            admin.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def served(tmp_path) -> Iterator[Served]:
    """Set up a database with an organisation, a store, an interviewer (token) and a published intercept survey,
    start `heed serve` on it, and stop everything afterwards."""
    env = {k: v for k, v in os.environ.items() if k not in {"HEED_BROKER_URL", "HEED_TASKS_EAGER"}}
    env |= {"HEED_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "heed.settings"}
    database = None
    if connection.vendor == "postgresql":
        params = settings.DATABASES["default"]
        database = f"{params['NAME']}_served"[:63]
        _postgres_database(database, create=True)
        host, port = params.get("HOST") or "127.0.0.1", params.get("PORT") or 5432
        auth = params["USER"] + (f":{params['PASSWORD']}" if params.get("PASSWORD") else "")
        env["HEED_DATABASE_URL"] = f"postgresql://{auth}@{host}:{port}/{database}"
    else:
        env["HEED_DATABASE_URL"] = f"sqlite:///{tmp_path}/served.sqlite3"
    try:
        setup = subprocess.run([sys.executable, "-c", SETUP], env=env, capture_output=True, text=True, check=True)
        ids = json.loads(setup.stdout.strip().splitlines()[-1])
        server = Served(env, ids["survey"], ids["unit"], ids["token"])
        try:
            server.start()
            yield server
        finally:
            server.kill(signal.SIGTERM)
    finally:
        if database is not None:
            _postgres_database(database, create=False)
