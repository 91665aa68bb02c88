"""Issue 9, point 3: a login made on one web node is honoured by another that shares HEED_SECRET_KEY (and the
database), and refused by a node that generated its own key — why the key must be shared.

Three real `heed serve` processes on loopback, each with its own HEED_DATA_DIR, on one SQLite file."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from tests.integration.test_serve_starts_worker import _free_port

pytestmark = pytest.mark.background_worker

SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from heed.accounts.models import Role
from heed.accounts.services import organisation_create, user_create
org = organisation_create(name="Acme", slug="acme", brand="Acme", languages=["en"], default_language="en")
user_create(organisation=org, username="ana", password="correct-horse-battery", role=Role.ANALYST)
"""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _node(tmp_path, name: str, database: str, secret_key: str | None) -> tuple[subprocess.Popen, int]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"HEED_BROKER_URL", "HEED_TASKS_EAGER", "HEED_SECRET_KEY"}}  # fmt: skip
    env |= {"HEED_DATA_DIR": str(tmp_path / name), "HEED_DATABASE_URL": database,
            "DJANGO_SETTINGS_MODULE": "heed.settings"}  # fmt: skip
    if secret_key:
        env["HEED_SECRET_KEY"] = secret_key
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "heed.cli", "serve", "--port", str(port), "--worker", "no", "--processes", "1"],
        env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return process, port


def _wait_up(port: int) -> None:
    from tests.integration.background import wait_until

    def up() -> bool:
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2).status == 200
        except OSError:
            return False

    assert wait_until(up, timeout=90, step=0.3), f"node on port {port} did not start"


def _dashboard_status(port: int, jar: http.cookiejar.CookieJar) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
    try:
        response = opener.open(f"http://127.0.0.1:{port}/dashboard/", timeout=30)
        return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", "")


def test_a_session_from_one_node_is_honoured_by_a_node_with_the_same_secret_key(tmp_path):
    database = f"sqlite:///{tmp_path}/shared.sqlite3"
    env = dict(os.environ, HEED_DATA_DIR=str(tmp_path / "setup"), HEED_DATABASE_URL=database,
               DJANGO_SETTINGS_MODULE="heed.settings")  # fmt: skip
    subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True)
    shared = "shared-secret-" + "k" * 50
    nodes = {name: _node(tmp_path, name, database, key) for name, key in
             (("a", shared), ("b", shared), ("own_key", None))}  # fmt: skip
    try:
        for _process, port in nodes.values():
            _wait_up(port)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        login_url = f"http://127.0.0.1:{nodes['a'][1]}/login/"
        page = opener.open(login_url, timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "ana",
                                       "password": "correct-horse-battery"}).encode()  # fmt: skip
        opener.open(urllib.request.Request(login_url, data=form, headers={"Referer": login_url}), timeout=30)
        assert _dashboard_status(nodes["a"][1], jar)[0] == 200
        assert _dashboard_status(nodes["b"][1], jar)[0] == 200  # same key: the session holds on node b
        status, location = _dashboard_status(nodes["own_key"][1], jar)
        assert status == 302 and "/login/" in location  # its own key: the session hash does not verify
    finally:
        for process, _port in nodes.values():
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
