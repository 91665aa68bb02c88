"""The audit log page lists and filters only the admin's organisation's changes."""

from __future__ import annotations

from tests.conftest import login


def _table(reply) -> str:
    """The audit table of a page (the filter's options name every action too)."""
    html = reply.content.decode()
    return html[html.index('<table class="grid" id="audit">') :]


def test_audit_log_page_lists_and_filters_only_this_organisation(world, admin, other):
    browser = login(admin)
    browser.post("/organisation/units/", {"code": "R9", "name": "Islands", "kind": "region"})
    browser.post(f"/organisation/users/{world.analyst.id}/active/", {"active": "0"})
    login(other.admin).post("/organisation/units/", {"code": "W9", "name": "Far West", "kind": "region"})

    page = _table(browser.get("/organisation/audit/"))
    assert "Unit added" in page and "R9 Islands" in page and "User deactivated" in page
    assert "<b>active</b>: yes → no" in page  # values in words, not Python
    assert "Far West" not in page and "Olga" not in page
    only_units = _table(browser.get("/organisation/audit/", {"action": "unit.created", "actor": "root-of-acme"}))
    assert "R9 Islands" in only_units and "User deactivated" not in only_units
    assert "S1 Milano" not in only_units  # created by the fixture (system), not by this admin
    by_user = _table(browser.get("/organisation/audit/", {"target_type": "user", "target_id": world.analyst.id}))
    assert "User deactivated" in by_user and "R9" not in by_user
    assert browser.get("/organisation/audit/", {"date_from": "2026-02-30"}).status_code == 400
    assert browser.get("/organisation/audit/", {"date_from": "2026-03-02", "date_to": "2026-03-01"}).status_code == 400
    assert browser.get("/organisation/audit/", {"action": "drop_tables"}).status_code == 400
    assert browser.get("/organisation/audit/", {"page": "99999999999999999999"}).status_code == 400  # like comments
    assert browser.get("/organisation/audit/", {"page": "999"}).status_code == 200  # beyond the last: the last page
