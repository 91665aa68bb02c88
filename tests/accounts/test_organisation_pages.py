"""Admins manage users, units and staff lists in Heed's pages; every change lands in the audit log;
other roles get 403 and another organisation's objects are 404. (The audit log page: tests/governance.)"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from heed.accounts.models import Role, Unit, User
from heed.core.errors import ApplicationError
from heed.distribution.services import link_create
from heed.governance.models import AuditEvent
from heed.responses.services import Submission, response_submit
from heed.textanalytics.models import StaffMember
from tests.conftest import PASSWORD, VALID_INTERCEPT, api_client, login


def _table(reply) -> str:
    """The audit table of a page (the filter's options name every action too)."""
    html = reply.content.decode()
    return html[html.index('<table class="grid" id="audit">') :]


def _events(org, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(organisation=org, action=action).order_by("id"))


def test_admin_invites_a_user_who_sets_a_password_once(world, admin, client, django_capture_on_commit_callbacks):
    browser = login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        reply = browser.post(
            "/organisation/",
            {"username": "nina", "email": "nina@acme.example", "role": Role.UNIT_MANAGER, "units": [world.store_b.id]},
        )
    assert reply.status_code == 302 and reply["Location"] == "/organisation/"
    page = browser.get("/organisation/").content.decode()
    link = re.search(r"<code>(http://[^<]+/account/set-password/[^<]+)</code>", page).group(1)
    assert "/account/set-password/" not in browser.get("/organisation/").content.decode()  # shown once
    assert mail.outbox == []  # no SMTP configured: nothing e-mailed

    nina = User.objects.get(username="nina")
    assert (nina.organisation, nina.role, list(nina.units.all())) == (world.org, Role.UNIT_MANAGER, [world.store_b])
    assert not nina.has_usable_password()
    [event] = _events(world.org, "user.invited")
    assert (event.actor, event.target_label) == (admin, "nina")
    assert event.after["role"] == "Unit manager" and event.after["units"] == ["S2 Zagreb"]

    path = link.removeprefix("http://127.0.0.1:8000")
    form_page = client.get(path, follow=True)
    assert b"Choose your password" in form_page.content
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "a-Long-pass-9", "new_password2": "a-Long-pass-9"}
    )
    assert done.status_code == 302
    assert client.login(username="nina", password="a-Long-pass-9")
    assert b"no longer works" in client.get(path, follow=True).content


def test_invitation_is_emailed_through_a_real_smtp_server(world, admin, smtp_inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        login(admin).post("/organisation/", {"username": "emil", "email": "emil@acme.example", "role": Role.ANALYST})
    [(recipients, message)] = smtp_inbox.wait_for(1, timeout=10)
    assert recipients == ["emil@acme.example"]
    body = message.get_content()
    assert "/account/set-password/" in body and "emil" in body
    link = re.search(r"(http://\S+/account/set-password/\S+/)", body).group(1)
    page = login(world.analyst).get(link.removeprefix("http://127.0.0.1:8000"), follow=True)
    assert b"Choose your password" in page.content


def test_invite_errors_are_shown_and_nothing_is_created(world, admin):
    browser = login(admin)
    reply = browser.post("/organisation/", {"username": "ana", "role": Role.ANALYST})  # taken
    assert reply.status_code == 409 and b"is taken" in reply.content
    reply = browser.post("/organisation/", {"username": "lonely", "role": Role.UNIT_MANAGER})
    assert reply.status_code == 400 and b"needs at least one unit" in reply.content
    reply = browser.post("/organisation/", {"username": "x y", "role": "boss"})
    assert reply.status_code == 400
    assert not User.objects.filter(username__in=["lonely", "x y"]).exists()
    assert _events(world.org, "user.invited") == []


def test_admin_changes_role_and_units_with_before_and_after(world, admin):
    browser = login(admin)
    reply = browser.post(
        f"/organisation/users/{world.manager_a.id}/", {"role": Role.UNIT_MANAGER, "units": [world.region.id]}
    )
    assert reply.status_code == 302
    assert list(world.manager_a.units.all()) == [world.region]
    [event] = _events(world.org, "user.changed")
    assert event.before["units"] == ["S1 Milano"] and event.after["units"] == ["R1 North"]
    assert event.actor_name == "root-of-acme"


def test_deactivated_user_cannot_log_in_or_use_a_token_and_can_come_back(world, admin):
    browser = login(admin)
    api = api_client(world.analyst)
    session = login(world.analyst)
    assert api.get("/api/surveys").status_code == 200
    assert browser.post(f"/organisation/users/{world.analyst.id}/active/", {"active": "0"}).status_code == 302
    assert session.get("/dashboard/")["Location"].startswith("/login/")  # an open session ends too
    world.analyst.refresh_from_db()
    assert not world.analyst.is_active
    assert api.get("/api/surveys").status_code == 401
    assert not api.login(username="ana", password=PASSWORD)
    browser.post(f"/organisation/users/{world.analyst.id}/active/", {"active": "1"})
    assert api.get("/api/surveys").status_code == 200
    assert [
        e.action for e in AuditEvent.objects.filter(target_type="user", target_id=str(world.analyst.id)).order_by("id")
    ] == [
        "user.created",
        "user.deactivated",
        "user.reactivated",
    ]


def test_admins_cannot_lock_the_organisation_out(world, admin):
    browser = login(admin)
    browser.post(f"/organisation/users/{admin.id}/active/", {"active": "0"})
    admin.refresh_from_db()
    assert admin.is_active
    reply = browser.post(f"/organisation/users/{admin.id}/", {"role": Role.ANALYST})
    assert reply.status_code == 400 and b"at least one active administrator" in reply.content
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_units_are_added_renamed_moved_closed_and_reopened(world, admin):
    browser = login(admin)
    reply = browser.post("/organisation/units/", {"code": "R2", "name": "South", "kind": "region"})
    assert reply.status_code == 302
    south = Unit.objects.get(organisation=world.org, code="R2")
    assert (
        browser.post(
            f"/organisation/units/{world.store_b.id}/", {"name": "Zagreb Centar", "parent": south.id}
        ).status_code
        == 302
    )
    world.store_b.refresh_from_db()
    assert (world.store_b.name, world.store_b.parent) == ("Zagreb Centar", south)
    [moved] = _events(world.org, "unit.changed")
    assert moved.before == {"closed": False, "code": "S2", "kind": "Store", "name": "Zagreb", "parent": "R1 North"}
    assert moved.after["parent"] == "R2 South" and moved.after["name"] == "Zagreb Centar"

    # A region with an open store under it cannot close; the store can, and then takes nothing new.
    assert browser.post(f"/organisation/units/{south.id}/closed/", {"closed": "1"}).status_code == 302
    south.refresh_from_db()
    assert not south.is_closed
    browser.post(f"/organisation/units/{world.store_b.id}/closed/", {"closed": "1"})
    world.store_b.refresh_from_db()
    assert world.store_b.is_closed
    with pytest.raises(ApplicationError) as closed:
        response_submit(
            submission=Submission(survey=world.survey, language="en", unit=world.store_b), raw_answers=VALID_INTERCEPT
        )
    assert closed.value.code == "unit_closed"
    with pytest.raises(ApplicationError):
        link_create(survey=world.survey, unit=world.store_b)
    assert browser.get(f"/s/{world.link_b.token}/").status_code == 410  # the respondent is told it is closed
    browser.post(f"/organisation/units/{world.store_b.id}/closed/", {"closed": "0"})
    world.store_b.refresh_from_db()
    assert not world.store_b.is_closed
    assert browser.get(f"/s/{world.link_b.token}/").status_code == 200
    assert [e.action for e in AuditEvent.objects.filter(target_id=str(world.store_b.id), target_type="unit")] == [
        "unit.reopened",
        "unit.closed",
        "unit.changed",
        "unit.created",
    ]


def test_moving_a_region_under_its_own_subregion_is_refused(world, admin):
    browser = login(admin)
    browser.post(
        "/organisation/units/", {"code": "R1a", "name": "North-East", "kind": "region", "parent": world.region.id}
    )
    sub = Unit.objects.get(organisation=world.org, code="R1a")
    reply = browser.post(f"/organisation/units/{world.region.id}/", {"name": "North", "parent": sub.id})
    assert reply.status_code == 400 and b"cannot move under itself" in reply.content
    world.region.refresh_from_db()
    assert world.region.parent is None
    reply = browser.post(f"/organisation/units/{world.region.id}/", {"name": "North", "parent": world.region.id})
    assert reply.status_code == 400  # itself: not even offered
    assert _events(world.org, "unit.changed") == []


def test_duplicate_unit_code_is_a_clear_error(world, admin):
    reply = login(admin).post(
        "/organisation/units/", {"code": "S1", "name": "Again", "kind": "store", "parent": world.region.id}
    )
    assert reply.status_code == 409 and b"already used" in reply.content


def test_staff_lists_are_kept_through_the_services(world, admin, django_capture_on_commit_callbacks):
    browser = login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        reply = browser.post(
            "/organisation/staff/",
            {"unit": world.store_a.id, "first_name": "Marko", "last_name": "Horvat", "aliases": "Mare, Marko H."},
        )
    assert reply.status_code == 302
    marko = StaffMember.objects.get(organisation=world.org, first_name="Marko")
    assert (marko.unit, marko.aliases) == (world.store_a, ["Mare", "Marko H."])
    assert b"Horvat" in browser.get(f"/organisation/staff/?unit={world.store_a.id}").content
    browser.post(
        f"/organisation/staff/{marko.id}/", {"unit": world.store_b.id, "first_name": "Marko", "last_name": "Horvat"}
    )
    browser.post(f"/organisation/staff/{marko.id}/active/", {"active": "0"})
    marko.refresh_from_db()
    assert (marko.unit, marko.aliases, marko.is_active) == (world.store_b, [], False)
    actions = [e.action for e in AuditEvent.objects.filter(target_type="staff_member").order_by("id")]
    assert actions == ["staff.added", "staff.changed", "staff.deactivated"]
    assert browser.post("/organisation/staff/", {"unit": world.store_a.id, "first_name": " "}).status_code == 400


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/organisation/"),
        ("post", "/organisation/"),
        ("get", "/organisation/users/{user}/"),
        ("post", "/organisation/users/{user}/active/"),
        ("post", "/organisation/users/{user}/unlock/"),
        ("get", "/organisation/units/"),
        ("post", "/organisation/units/{unit}/closed/"),
        ("get", "/organisation/staff/"),
        ("get", "/organisation/audit/"),
    ],
)
def test_other_roles_get_403_and_other_organisations_404(world, admin, other, method, path):
    url = path.format(user=world.analyst.id, unit=world.store_a.id)
    for member in (world.analyst, world.manager_a, world.interviewer):
        assert getattr(login(member), method)(url).status_code == 403
    if "{" in path:
        reply = getattr(login(other.admin), method)(url)
        assert reply.status_code == 404
    world.analyst.refresh_from_db()
    world.store_a.refresh_from_db()
    assert world.analyst.is_active and not world.store_a.is_closed
    assert not AuditEvent.objects.filter(organisation=world.org, actor__in=[other.admin, world.analyst]).exists()


def test_another_organisations_staff_and_units_are_404(world, admin, other):
    browser = login(admin)
    assert browser.get(f"/organisation/staff/{other.staff.id}/").status_code == 404
    assert browser.post(f"/organisation/staff/{other.staff.id}/active/", {"active": "0"}).status_code == 404
    refused = browser.get(f"/organisation/staff/?unit={other.unit.id}")  # not a choice: the 400 filter page
    assert refused.status_code == 400 and b'id="filter-error"' in refused.content and b"Olga" not in refused.content
    assert browser.get(f"/organisation/units/{other.unit.id}/").status_code == 404
    assert browser.get(f"/organisation/users/{other.admin.id}/").status_code == 404
    # Another organisation's unit is not a valid choice either.
    reply = browser.post("/organisation/", {"username": "spy", "role": Role.UNIT_MANAGER, "units": [other.unit.id]})
    assert reply.status_code == 400 and not User.objects.filter(username="spy").exists()
    other.staff.refresh_from_db()
    assert other.staff.is_active
    page = browser.get("/organisation/").content.decode()
    assert "other-admin" not in page


def test_navigation_shows_organisation_only_to_admins(world, admin):
    assert b'href="/organisation/"' in login(admin).get("/surveys/").content
    assert b'href="/organisation/"' not in login(world.analyst).get("/surveys/").content


@pytest.mark.parametrize(
    "path",
    [
        "/organisation/users/99999999999999999999/",
        "/organisation/units/9223372036854775808/",
        "/organisation/staff/99999999999999999999/",
    ],
)
def test_out_of_range_ids_are_404_not_500(world, admin, path):
    assert login(admin).get(path).status_code == 404
