"""Issue 10, point 1: the interviewer app's shell, manifest, service worker and session probe (server side), and
the vendored Workbox files (no CDN, unchanged)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from heed.accounts.services import user_set_language
from tests.conftest import login

VENDOR = Path(finders.find("fieldwork/vendor/workbox-7.4.1/VENDOR.md")).parent  # type: ignore[arg-type]


def _config(response) -> dict:
    found = re.search(
        r'<script id="app-config" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    assert found
    return json.loads(found.group(1))


def test_the_shell_is_for_signed_in_users_and_carries_its_texts_as_json(world):
    assert Client().get("/fieldwork/app/").status_code == 302  # to the login page
    response = login(world.interviewer).get("/fieldwork/app/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<link rel="manifest" href="/fieldwork/app/manifest.webmanifest">' in html
    assert re.findall(r"<script(?! id=\"app-config\")[^>]*>", html) == [
        '<script src="/static/heed/conditions.js">', '<script src="/static/fieldwork/app.js">'
    ]  # no inline script (the CSP allows none)  # fmt: skip
    config = _config(response)
    assert config["urls"]["sync"] == "/api/fieldwork/sync" and config["urls"]["forms"] == "/api/fieldwork/forms"
    assert config["text"]["waiting"] == {"one": "{count} waiting to send", "other": "{count} waiting to send"}
    assert config["text"]["survey_closed"] == "Survey closed, contact your supervisor"


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("ru", {"one": "{count} ждёт отправки", "few": "{count} ждут отправки", "many": "{count} ждут отправки"}),
        ("hr", {"one": "{count} čeka slanje", "few": "{count} čekaju slanje", "other": "{count} čeka slanje"}),
        ("it", {"one": "{count} da inviare", "other": "{count} da inviare"}),
    ],
)
def test_the_waiting_count_has_every_plural_form_of_the_interviewers_language(world, language, forms):
    user_set_language(actor=world.interviewer, user=world.interviewer, language=language)
    config = _config(login(world.interviewer).get("/fieldwork/app/"))
    assert config["language"] == language
    assert {category: config["text"]["waiting"][category] for category in forms} == forms
    assert config["text"]["send_now"] != "Send now"


def test_the_manifest_makes_the_app_installable(client):
    response = client.get("/fieldwork/app/manifest.webmanifest")  # browsers fetch it without cookies
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/fieldwork/app/", "/fieldwork/app/",
                                                                              "standalone")  # fmt: skip
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon
        data = Path(path).read_bytes()
        if icon["type"] == "image/png":
            width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
            assert data[:8] == b"\x89PNG\r\n\x1a\n" and f"{width}x{height}" == icon["sizes"]


def test_the_service_worker_precaches_the_app_from_heeds_own_files(client):
    response = client.get("/fieldwork/app/sw.js")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    script = response.content.decode()
    settings = json.loads(script.split("\n", 1)[0].removeprefix("self.HEED_SW = ").removesuffix(";"))
    assert settings["workbox"] == [f"/static/fieldwork/vendor/workbox-7.4.1/workbox-{name}.prod.js"
                                   for name in ("core", "routing", "strategies", "precaching")]  # fmt: skip
    urls = {entry["url"]: entry["revision"] for entry in settings["precache"]}
    assert {"/static/fieldwork/app.js", "/static/heed/conditions.js", "/static/fieldwork/app.css"} <= set(urls)
    app = Path(finders.find("fieldwork/app.js")).read_bytes()  # type: ignore[arg-type]
    assert urls["/static/fieldwork/app.js"] == hashlib.sha256(app).hexdigest()[:16]  # a changed file -> new worker
    assert (settings["shell"], settings["forms"]) == ("/fieldwork/app/", "/api/fieldwork/forms")
    assert "http://" not in script and "https://" not in script  # nothing from a CDN


def test_the_vendored_workbox_files_are_the_published_ones():
    notes = (VENDOR / "VENDOR.md").read_text(encoding="utf-8")
    sums = dict((name, digest) for digest, name in re.findall(r"([0-9a-f]{64})  (\S+\.js)", notes))
    assert len(sums) == 4
    for name, digest in sums.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest
    assert "Permission is hereby granted, free of charge" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
    assert "MIT" in notes


def test_the_session_probe_gives_a_csrf_token_to_a_signed_in_user(world):
    assert Client().get("/fieldwork/app/session.json").status_code == 401
    client = login(world.interviewer)
    body = client.get("/fieldwork/app/session.json").json()
    assert body["username"] == "ivo" and len(body["csrf_token"]) >= 32
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(world.interviewer)
    token = checked.get("/fieldwork/app/session.json").json()["csrf_token"]
    sync = {"device_id": "6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f", "interviews": []}
    refused = checked.post("/api/fieldwork/sync", sync, content_type="application/json")
    assert refused.status_code in (401, 403)
    accepted = checked.post("/api/fieldwork/sync", sync, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Interview saved on this device as screened out (not eligible)."),
        ("it", "Intervista salvata su questo dispositivo come esclusa dallo screening (non idonea)."),
        ("hr", "Intervju je spremljen na ovom uređaju kao isključen probirom (ne ispunjava uvjete)."),
        ("bg", "Интервюто е запазено на това устройство като отсято (не отговаря на условията)."),
        ("ru", "Интервью сохранено на этом устройстве как отсеянное (не соответствует критериям)."),
        ("et", "Intervjuu on sellesse seadmesse salvestatud sõelumisel välja jäetuna (ei vasta tingimustele)."),
    ],
)
def test_the_interviewer_is_told_a_screened_out_interview_is_saved_in_their_language(world, language, text):
    user_set_language(actor=world.interviewer, user=world.interviewer, language=language)
    config = _config(login(world.interviewer).get("/fieldwork/app/"))
    assert config["text"]["interview_saved_screened_out"] == text
