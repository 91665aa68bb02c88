"""The accounts' API routers (/api/users, /api/units): the Organisation pages' operations through the same
services, so the scope rule, the last-admin rule and the unit tree rules hold on both, and every change is in
the audit log."""

from __future__ import annotations

import json

import pytest

from heed.accounts.models import Role, Unit, User
from heed.governance.models import AuditEvent
from tests.conftest import api_client, login


def _send(client, method: str, url: str, payload: dict):
    return getattr(client, method)(url, data=json.dumps(payload), content_type="application/json")


def test_admin_invites_a_user_with_a_one_time_link_and_the_audit_log_records_it(world, admin):
    client = api_client(admin)
    reply = _send(client, "post", "/api/users", {"username": "lea", "email": "lea@example.com",
                                                  "role": "unit_manager", "units": [world.store_b.id]})  # fmt: skip
    assert reply.status_code == 201, reply.json()
    body = reply.json()
    lea = User.objects.get(username="lea")
    assert body["id"] == lea.id and body["role"] == "unit_manager" and body["units"] == [world.store_b.id]
    assert body["is_active"] and not body["locked"] and "/account/set-password/" in body["set_password_url"]
    assert not lea.has_usable_password()
    assert AuditEvent.objects.filter(organisation=world.org, action="user.invited", target_id=str(lea.id)).exists()
    listed = client.get("/api/users").json()
    assert "lea" in [user["username"] for user in listed] and "set_password_url" not in listed[0]
    assert client.get(f"/api/users/{lea.id}").json()["email"] == "lea@example.com"


@pytest.mark.parametrize("role", [Role.UNIT_MANAGER, Role.INTERVIEWER, Role.AGENT])
def test_unit_scoped_roles_need_a_unit_on_the_api_and_on_the_page(world, admin, role):
    reply = _send(api_client(admin), "post", "/api/users", {"username": "nobody", "role": role})
    assert reply.status_code == 400 and reply.json()["code"] == "units_required"
    assert "needs at least one unit" in reply.json()["detail"]
    page = login(admin).post("/organisation/", {"username": "nobody", "role": role})
    assert page.status_code == 400 and b"needs at least one unit" in page.content
    assert not User.objects.filter(username="nobody").exists()


def test_a_closed_unit_is_not_given_but_may_be_kept(world, admin):
    client = api_client(admin)
    extra = Unit.objects.create(organisation=world.org, kind=Unit.Kind.STORE, name="Split", code="S3",
                                parent=world.region)  # fmt: skip
    manager = world.manager_a
    _send(client, "patch", f"/api/users/{manager.id}", {"units": [world.store_a.id, extra.id]})
    assert _send(client, "patch", f"/api/units/{extra.id}", {"closed": True}).json()["closed"] is True
    kept = _send(client, "patch", f"/api/users/{manager.id}", {"role": "unit_manager",
                                                                "units": [world.store_a.id, extra.id]})  # fmt: skip
    assert kept.status_code == 200 and sorted(kept.json()["units"]) == sorted([world.store_a.id, extra.id])
    refused = _send(client, "patch", f"/api/users/{world.interviewer.id}", {"units": [extra.id]})
    assert refused.status_code == 400 and refused.json()["code"] == "unit_closed"
    assert list(world.interviewer.units.values_list("id", flat=True)) == [world.store_a.id]


def test_a_change_is_all_or_nothing(world, admin):
    """Role and deactivation in one request: when the second part is refused the first is not kept."""
    client = api_client(admin)
    reply = _send(client, "patch", f"/api/users/{admin.id}", {"role": "analyst", "is_active": False})
    assert reply.status_code == 400
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN and admin.is_active


def test_the_last_admin_cannot_be_deactivated_and_others_can_come_back(world, admin):
    client = api_client(admin)
    assert _send(client, "patch", f"/api/users/{admin.id}", {"is_active": False}).json()["code"] == "self_deactivation"
    off = _send(client, "patch", f"/api/users/{world.analyst.id}", {"is_active": False})
    assert off.status_code == 200 and off.json()["is_active"] is False
    assert _send(client, "patch", f"/api/users/{world.analyst.id}", {"is_active": True}).json()["is_active"]
    assert client.post(f"/api/users/{world.analyst.id}/unlock").json() == {"cleared": 0}


def test_units_are_added_renamed_moved_closed_and_reopened(world, admin):
    client = api_client(admin)
    made = _send(client, "post", "/api/units", {"code": "R2", "name": "South", "kind": "region"})
    assert made.status_code == 201
    south = made.json()
    moved = _send(client, "patch", f"/api/units/{world.store_b.id}", {"parent_id": south["id"], "name": "Zagreb 1"})
    assert moved.json() == {"id": world.store_b.id, "code": "S2", "name": "Zagreb 1", "kind": "store",
                            "parent_id": south["id"], "country": "HR", "closed": False}  # fmt: skip
    cycle = _send(client, "patch", f"/api/units/{world.region.id}", {"parent_id": world.region.id})
    assert cycle.status_code == 400
    assert _send(client, "post", "/api/units", {"code": "r2", "name": "X", "kind": "region"}).json()["code"] == (
        "unit_code_used"
    )
    assert _send(client, "patch", f"/api/units/{south['id']}", {"closed": True}).json()["code"] == (
        "unit_has_open_children"
    )
    actions = set(AuditEvent.objects.filter(organisation=world.org, actor=admin).values_list("action", flat=True))
    assert {"unit.created", "unit.changed"} <= actions


def test_units_are_read_within_the_callers_scope(world):
    assert {u["code"] for u in api_client(world.manager_a).get("/api/units").json()} == {"S1"}
    assert {u["code"] for u in api_client(world.analyst).get("/api/units").json()} == {"R1", "S1", "S2"}
    assert api_client(world.manager_a).get(f"/api/units/{world.store_b.id}").status_code == 404


def _call(client, method: str, url: str, payload: dict | None):
    return getattr(client, method)(url) if payload is None else _send(client, method, url, payload)


WRITES = [
    ("get", "/api/users", None),
    ("post", "/api/users", {"username": "x1", "role": "analyst"}),
    ("patch", "/api/users/{user}", {"is_active": False}),
    ("post", "/api/users/{user}/unlock", None),
    ("post", "/api/units", {"code": "Z1", "name": "Z", "kind": "region"}),
    ("patch", "/api/units/{unit}", {"closed": True}),
]


@pytest.mark.parametrize(("method", "url", "payload"), WRITES)
def test_other_roles_get_403_and_nothing_changes(world, admin, method, url, payload):
    url = url.format(user=world.analyst.id, unit=world.store_a.id)
    for member in (world.analyst, world.manager_a, world.interviewer):
        reply = _call(api_client(member), method, url, payload)
        assert reply.status_code == 403 and reply.json()["code"] == "forbidden"
    world.analyst.refresh_from_db()
    world.store_a.refresh_from_db()
    assert world.analyst.is_active and not world.store_a.is_closed
    assert not User.objects.filter(username="x1").exists() and not Unit.objects.filter(code="Z1").exists()


@pytest.mark.parametrize(("method", "url", "payload"), [row for row in WRITES if "{" in row[1]])
def test_another_organisations_admin_gets_404(world, admin, other, method, url, payload):
    url = url.format(user=world.analyst.id, unit=world.store_a.id)
    assert _call(api_client(other.admin), method, url, payload).status_code == 404
    world.analyst.refresh_from_db()
    world.store_a.refresh_from_db()
    assert world.analyst.is_active and not world.store_a.is_closed


def test_a_unit_of_another_organisation_is_404_when_given(world, admin, other):
    reply = _send(api_client(admin), "post", "/api/users", {"username": "spy", "role": "unit_manager",
                                                             "units": [other.unit.id]})  # fmt: skip
    assert reply.status_code == 404 and not User.objects.filter(username="spy").exists()
