"""Brute-force protection of the log-in page (django-axes): an account, and an address, are locked after
HEED_LOGIN_FAILURE_LIMIT wrong passwords (5 by default); the page says so in plain words; an admin or a
command lets the user in again, and the audit log records it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from heed.accounts.models import Role
from heed.accounts.services import user_create
from heed.governance.models import AuditEvent
from tests.conftest import PASSWORD, login


def _attempt(username: str, password: str, address: str):
    return Client(REMOTE_ADDR=address).post("/login/", {"username": username, "password": password})


def test_160_wrong_passwords_from_8_clients_are_stopped_after_five(world):
    statuses = [_attempt("ana", f"guess-{i}", f"10.0.0.{i % 8 + 1}").status_code for i in range(160)]
    assert statuses[:4] == [200] * 4  # the form again, with "didn't match"
    assert set(statuses[4:]) == {429}  # the fifth failure locks
    # The right password no longer helps, from any address, until the lock is lifted.
    locked = _attempt("ana", PASSWORD, "10.9.9.9")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "too many wrong passwords" in text and "Try again in 15 minutes" in text
    assert locked["Retry-After"] == "900"
    assert "_auth_user_id" not in Client(REMOTE_ADDR="10.9.9.9").session


def test_one_address_trying_many_accounts_is_locked_but_others_are_not(world):
    for i in range(5):
        _attempt(f"nobody{i}", "x", "192.0.2.7")
    assert _attempt("ana", PASSWORD, "192.0.2.7").status_code == 429
    ok = _attempt("ana", PASSWORD, "192.0.2.8")
    assert ok.status_code == 302 and ok["Location"] == "/"


def test_a_success_before_the_limit_starts_the_count_again(world):
    for _ in range(4):
        _attempt("ana", "wrong", "198.51.100.1")
    assert _attempt("ana", PASSWORD, "198.51.100.1").status_code == 302
    for _ in range(4):
        assert _attempt("ana", "wrong", "198.51.100.1").status_code == 200  # four more, still under the limit
    assert _attempt("ana", PASSWORD, "198.51.100.1").status_code == 302


def test_the_lock_ends_after_the_cool_off(world):
    from axes.models import AccessAttempt

    for i in range(5):
        _attempt("ana", "wrong", f"203.0.113.{i}")
    assert _attempt("ana", PASSWORD, "203.0.113.50").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert _attempt("ana", PASSWORD, "203.0.113.51").status_code == 302


def test_admin_sees_the_lock_and_lifts_it_on_the_users_page(world):
    admin = user_create(organisation=world.org, username="root", password=PASSWORD, role=Role.ADMIN)
    browser = login(admin)
    for i in range(5):
        _attempt("mario", "wrong", f"10.1.0.{i}")
    assert _attempt("mario", PASSWORD, "10.1.1.1").status_code == 429
    assert b"locked out" in browser.get("/organisation/").content
    assert b"Let them log in again" in browser.get(f"/organisation/users/{world.manager_a.id}/").content
    reply = browser.post(f"/organisation/users/{world.manager_a.id}/unlock/")
    assert reply.status_code == 302
    assert _attempt("mario", PASSWORD, "10.1.1.1").status_code == 302
    [event] = AuditEvent.objects.filter(action="user.unlocked")
    assert (event.actor, event.target_label) == (admin, "mario")


def test_unlock_user_command(world):
    for i in range(5):
        _attempt("ana", "wrong", f"10.2.0.{i}")
    out = io.StringIO()
    call_command("unlock_user", "ana", stdout=out)
    assert "can log in again" in out.getvalue()
    assert _attempt("ana", PASSWORD, "10.2.0.9").status_code == 302
    assert AuditEvent.objects.get(action="user.unlocked").actor_name == "system"


@pytest.mark.parametrize("path", ["/admin/login/"])
def test_the_django_admin_login_is_protected_too(world, path):
    for i in range(5):
        Client(REMOTE_ADDR=f"10.3.0.{i}").post(path, {"username": "ana", "password": "wrong"})
    assert Client(REMOTE_ADDR="10.3.0.9").post(path, {"username": "ana", "password": PASSWORD}).status_code == 429
