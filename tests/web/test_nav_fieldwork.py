"""No dead ends for field staff: the navigation links to fieldwork and calls for the roles that may use them, and
an interviewer or a phone agent landing on "/" goes to their work page instead of a 403."""

from __future__ import annotations

import re

import pytest

from heed.accounts.models import Role
from heed.accounts.services import user_create
from tests.conftest import PASSWORD, login

NAV = re.compile(r"<nav>(.*?)</nav>", re.S)


def _nav_links(client) -> dict[str, str]:
    page = client.get("/account/settings/")
    assert page.status_code == 200
    nav = NAV.search(page.content.decode())
    assert nav
    return {text.strip(): href for href, text in re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav.group(1))}


@pytest.fixture
def agent(world):
    return user_create(organisation=world.org, username="aga", password=PASSWORD, role=Role.AGENT,
                       units=[world.store_a])  # fmt: skip


@pytest.mark.parametrize("who", ["analyst", "manager_a"])
def test_supervisors_see_fieldwork_and_calls_in_the_navigation(world, who):
    client = login(getattr(world, who))
    links = _nav_links(client)
    assert links["Fieldwork"] == "/fieldwork/" and links["Calls"] == "/calls/"
    assert "My assignments" not in links
    assert client.get(links["Fieldwork"]).status_code == 200


def test_an_interviewer_sees_their_assignments_and_lands_on_them(world):
    client = login(world.interviewer)
    links = _nav_links(client)
    assert links["My assignments"] == "/fieldwork/mine/" and links["Interviews"] == "/fieldwork/app/"  # the app
    assert "Fieldwork" not in links and "Dashboard" not in links
    assert client.get(links["Interviews"]).status_code == 200
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/fieldwork/mine/"
    assert client.get(home["Location"]).status_code == 200


def test_a_phone_agent_lands_on_the_call_lists(world, agent):
    client = login(agent)
    links = _nav_links(client)
    assert links["Calls"] == "/calls/" and "Fieldwork" not in links and "My assignments" not in links
    assert "Interviews" not in links
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/calls/"
    assert client.get("/calls/").status_code == 200


def test_the_navigation_links_are_translated(world):
    world.interviewer.language = "hr"
    world.interviewer.save(update_fields=["language"])
    links = _nav_links(login(world.interviewer))
    assert "My assignments" not in links and "/fieldwork/mine/" in links.values()
    world.analyst.language = "it"
    world.analyst.save(update_fields=["language"])
    assert (
        "Fieldwork" not in _nav_links(login(world.analyst))
        and "/fieldwork/" in _nav_links(login(world.analyst)).values()
    )


def test_contacts_are_in_the_navigation_only_for_roles_that_see_personal_data(world):
    analyst = login(world.analyst)
    links = _nav_links(analyst)
    assert links["Contacts"] == "/contacts/"
    assert analyst.get(links["Contacts"]).status_code == 200
    manager = login(world.manager_a)
    assert "Contacts" not in _nav_links(manager)
    assert manager.get("/contacts/").status_code == 403
