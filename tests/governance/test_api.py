"""The governance API router: the audit log for admins, filtered as on the page, only their organisation's."""

from __future__ import annotations

from heed.accounts.services import unit_create, user_set_active
from tests.conftest import api_client


def test_admins_read_their_organisations_audit_log_with_the_pages_filters(world, admin, other):
    unit_create(organisation=world.org, kind="region", name="Islands", code="R9", actor=admin)
    user_set_active(actor=admin, user=world.analyst, active=False)
    unit_create(organisation=other.admin.organisation, kind="region", name="Far West", code="W9", actor=other.admin)
    client = api_client(admin)
    body = client.get("/api/audit-events").json()
    labels = [event["target_label"] for event in body["items"]]
    assert body["items"][0]["action"] == "user.deactivated" and body["items"][0]["actor"] == "root-of-acme"
    assert body["items"][0]["before"]["active"] is True and body["items"][0]["after"]["active"] is False
    assert "R9 Islands" in labels and "W9 Far West" not in labels
    only = client.get("/api/audit-events", {"action": "unit.created", "actor": "root-of-acme"}).json()
    assert [event["target_label"] for event in only["items"]] == ["R9 Islands"]
    assert client.get("/api/audit-events", {"action": "drop_tables"}).status_code == 422
    assert api_client(world.manager_a).get("/api/audit-events").status_code == 403
