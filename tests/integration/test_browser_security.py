"""Real Chromium under the Content-Security-Policy: the dashboard's and drivers' charts draw with no CSP
violation; an admin invites a user who sets a password through the one-time link; wrong passwords
lock the login with a plain message. (Data is written before Chromium starts; see test_browser_e2e.)"""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from django.utils import timezone

from heed.accounts.models import Role, User
from heed.accounts.services import organisation_create, unit_create, user_create
from heed.responses.services import Submission, response_submit
from heed.surveys.services import survey_create, survey_publish
from tests.integration.test_browser_e2e import PASSWORD, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page) -> list[str]:
    """Collect CSP violations and script errors of a page."""
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def _log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_charts_draw_under_the_csp_and_admin_invites_a_user(live_server, settings):
    settings.BASE_URL = live_server.url
    org = organisation_create(name="Acme", slug="acme", languages=["en"], default_language="en")
    region = unit_create(organisation=org, kind="region", name="North", code="R1")
    store = unit_create(organisation=org, kind="store", name="Milano", code="S1", parent=region)
    analyst = user_create(organisation=org, username="ana", password=PASSWORD, role=Role.ANALYST)
    user_create(organisation=org, username="root", password=PASSWORD, role=Role.ADMIN)
    survey = survey_create(organisation=org, title="Visit", created_by=analyst, languages=["en"],
                           default_language="en", template_key="store_intercept")  # fmt: skip
    survey_publish(survey=survey, actor=analyst)
    rng = random.Random(3)
    now = timezone.now()
    for i in range(120):
        answers = {key: rng.randint(2, 5) for key in ("store_experience", "store_tidiness", "merchandise",
                                                       "staff_behaviour", "staff_professionalism")}  # fmt: skip
        answers |= {"nps": min(10, max(0, answers["staff_behaviour"] * 2 + rng.randint(-2, 1))), "did_buy": "yes"}
        response_submit(submission=Submission(survey=survey, language="en", unit=store,
                                              submitted_at=now - dt.timedelta(days=i % 90)),
                        raw_answers=answers)  # fmt: skip

    with chromium() as browser:
        page = browser.new_page()
        problems = _watch(page)
        _log_in(page, live_server.url, "ana", PASSWORD)
        page.goto(f"{live_server.url}/dashboard/?survey={survey.id}")
        page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('trend-chart'))")
        page.goto(f"{live_server.url}/surveys/{survey.id}/drivers/")
        page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('ipa-chart'))")
        assert problems == []

        admin = browser.new_page()
        problems = _watch(admin)
        _log_in(admin, live_server.url, "root", PASSWORD)
        admin.click("text=Organisation")
        admin.fill("#id_username", "nina")
        admin.select_option("#id_role", "unit_manager")
        admin.select_option("#id_units", label="S1 Milano")
        admin.click("#invite button[type=submit]")
        link = admin.locator("#invite-link code").inner_text()
        admin.reload()
        assert admin.locator("#invite-link").count() == 0  # shown once
        assert "invited, no password yet" in admin.locator("#users").inner_text()

        newcomer = browser.new_page()
        newcomer.goto(link)
        newcomer.fill("#id_new_password1", "nina-Strong-pass-7")
        newcomer.fill("#id_new_password2", "nina-Strong-pass-7")
        newcomer.click("button[type=submit]")
        assert "Your password is set" in newcomer.content()
        _log_in(newcomer, live_server.url, "nina", "nina-Strong-pass-7")
        assert newcomer.url.rstrip("/").endswith("/dashboard")

        intruder = browser.new_page()
        for _ in range(5):
            _log_in(intruder, live_server.url, "nina", "guess")
        assert "Logging in is paused" in intruder.content()
        assert re.search(r"Try again in 15 minutes", intruder.content())
        assert problems == []

    nina = User.objects.get(username="nina")
    assert [u.code for u in nina.units.all()] == ["S1"] and nina.has_usable_password()
