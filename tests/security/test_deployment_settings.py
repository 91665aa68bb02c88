"""Deployment switches: with HEED_HTTPS (and preload) on, `heed check --deploy` reports nothing; every page
carries a Content-Security-Policy without 'unsafe-inline'; the cache is shared by separate processes."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

HEED = str(Path(sys.executable).with_name("heed"))


def _run(args: list[str], env: dict[str, str], data_dir: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HEED_")}
    environment |= {"HEED_DATA_DIR": str(data_dir)} | env
    return subprocess.run([HEED, *args], env=environment, capture_output=True, text=True, timeout=120)


def _last_line(result: subprocess.CompletedProcess) -> str:
    """The probe's output (``heed shell`` first says how many objects it imported)."""
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr


def test_check_deploy_is_clean_with_the_switches_on(tmp_path):
    production = {
        "HEED_HTTPS": "true",
        "HEED_HSTS_PRELOAD": "true",
        "HEED_PROXY_SSL_HEADER": "true",
        "HEED_SECRET_KEY": secrets.token_urlsafe(50),
        "HEED_ALLOWED_HOSTS": "heed.example.com",
        "HEED_CSRF_TRUSTED_ORIGINS": "https://heed.example.com",
    }
    clean = _run(["check", "--deploy", "--fail-level", "WARNING"], production, tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "System check identified no issues" in clean.stdout
    # The same check without the switches does warn: the test above is not vacuous.
    laptop = _run(
        ["check", "--deploy", "--fail-level", "WARNING"], {"HEED_SECRET_KEY": production["HEED_SECRET_KEY"]}, tmp_path
    )
    assert laptop.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in laptop.stderr + laptop.stdout


def test_settings_follow_the_switches(tmp_path):
    probe = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
        " getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1])"
    )
    on = _run(["shell", "-c", probe], {"HEED_HTTPS": "1", "HEED_PROXY_SSL_HEADER": "1"}, tmp_path)
    assert _last_line(on) == "True True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') DatabaseCache"
    off = _run(["shell", "-c", probe], {}, tmp_path)
    assert _last_line(off) == "False False False 0 None DatabaseCache"
    redis = _run(["shell", "-c", probe], {"HEED_REDIS_URL": "redis://127.0.0.1:6379/14"}, tmp_path)
    assert _last_line(redis).endswith("RedisCache")


@pytest.mark.parametrize("backend", ["database", "redis"])
def test_two_processes_share_the_cache(tmp_path, backend):
    env = {"HEED_DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}"}
    if backend == "redis":
        env["HEED_CACHE_URL"] = "redis://127.0.0.1:6379/14"
    else:
        assert _run(["migrate", "core", "--noinput"], env, tmp_path).returncode == 0  # creates heed_cache
    key, value = f"heed-test-{uuid.uuid4().hex}", uuid.uuid4().hex
    writer = _run(
        ["shell", "-c", f"from django.core.cache import cache; cache.set({key!r}, {value!r}, 60)"], env, tmp_path
    )
    assert writer.returncode == 0, writer.stderr
    reader = _run(
        ["shell", "-c", f"from django.core.cache import cache; print(cache.get({key!r})); cache.delete({key!r})"],
        env,
        tmp_path,
    )
    assert _last_line(reader) == value


def test_pages_carry_a_strict_content_security_policy(world, client):
    from tests.conftest import login

    for browser, path in [
        (client, "/login/"),
        (login(world.analyst), "/dashboard/"),
        (client, f"/s/{world.link_a.token}/"),
    ]:
        policy = browser.get(path)["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
        assert directives["script-src"] == "'self'", path
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


def test_templates_have_no_inline_script_or_style():
    templates = Path(__file__).resolve().parents[2] / "src" / "heed" / "web" / "templates"
    for template in templates.rglob("*.html"):
        html = template.read_text(encoding="utf-8")
        for tag in html.split("<script")[1:]:
            head = tag.split(">", 1)[0]
            assert "src=" in head or 'type="application/json"' in head or "json_script" in head, template
        assert " style=" not in html and "<style" not in html, template
        assert not any(f" on{event}=" in html for event in ("click", "change", "submit", "load", "input")), template
