"""Issue 16 through the real themes page in headless Chromium: an analyst discovers a theme in the comments,
accepts it in English, is told which of the organisation's languages it has no keywords in, sees the theme
flagged in the taxonomy, and fills in the missing languages with Edit.

As in test_browser_e2e.py, data is written before Chromium starts and read after it stops (Playwright keeps an
asyncio loop on the test thread).
"""

from __future__ import annotations

import re

import pytest

from heed.responses.services import Submission, response_submit
from heed.textanalytics.models import AnnotationTheme, ThemeDefinition
from heed.textanalytics.services import annotations_refresh, taxonomy_ensure_default
from tests.conftest import PASSWORD
from tests.integration.test_browser_e2e import SCREENSHOTS, _context, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APP_COMPLAINTS = [
    "The loyalty app crashes every time I open it.", "Your app keeps crashing on my phone.",
    "The new app version crashes constantly.", "Why does the app crash so often?",
    "App crashes when I open the coupons.", "The app crashed twice today.",
]  # fmt: skip


def test_analyst_accepts_a_discovered_theme_and_adds_the_missing_languages(live_server, world):
    from playwright.sync_api import expect

    for text in APP_COMPLAINTS * 2:
        response_submit(submission=Submission(survey=world.survey, language="en", unit=world.store_a),
                        raw_answers={"store_experience": 2, "did_buy": "yes", "nps": 3, "comment": text})  # fmt: skip
    taxonomy_ensure_default(organisation=world.org)
    ThemeDefinition.objects.filter(organisation=world.org, key="online_shop").update(is_active=False)
    annotations_refresh(organisation=world.org)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    with chromium() as browser:
        page = _context(browser, live_server.url).new_page()
        page.goto("/login/")
        page.get_by_label("Username").fill(world.analyst.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r"/dashboard/$"))

        page.goto("/themes/")
        page.get_by_label("Language").select_option("en")
        page.get_by_role("button", name="Discover").click()
        candidate = page.locator(".candidate").first
        expect(candidate).to_contain_text("comments about: app")
        expect(candidate).to_contain_text("Accepting gives the theme keywords in en only")
        candidate.get_by_label("Accept as theme named").fill("Mobile app")
        candidate.get_by_role("button", name="Accept").click()
        page.wait_for_url(re.compile(r"/themes/(#\w+)?$"))  # the redirect keeps the form's #fragment
        expect(page.locator("ul.messages li.warning")).to_contain_text("no keywords in Italiano, Hrvatski")
        row = page.locator("#taxonomy tr", has_text="mobile_app")
        expect(row.locator(".missing-languages")).to_have_text("⚠ no keywords in it, hr")
        expect(page.locator("#taxonomy tr", has_text="waiting_time").locator(".missing-languages")).to_have_count(0)
        page.screenshot(path=str(SCREENSHOTS / "themes-missing-languages.png"), full_page=True)

        row.get_by_role("link", name="Edit").click()
        page.wait_for_url(re.compile(r"/themes/\?edit=mobile_app#edit$"))
        expect(page.locator("#edit-key")).to_have_text("mobile_app")  # editing: the key is fixed, sent hidden
        expect(page.get_by_label("Keywords (en)")).to_have_value(re.compile(r"app\$"))
        page.get_by_label("Keywords (it)").fill("applicazion, app$")
        page.get_by_label("Keywords (hr)").fill("aplikacij")
        page.get_by_role("button", name="Save theme").click()
        page.wait_for_url(re.compile(r"/themes/(#\w+)?$"))  # the redirect keeps the form's #fragment
        expect(page.locator("ul.messages")).to_contain_text("Theme “Mobile app” saved")
        expect(page.locator("#taxonomy tr", has_text="mobile_app").locator(".missing-languages")).to_have_count(0)

    theme = ThemeDefinition.objects.get(organisation=world.org, key="mobile_app")
    assert theme.source == "discovered" and set(theme.keywords) == {"en", "it", "hr"}
    assert theme.keywords["hr"] == ["aplikacij"]
    annotations_refresh(organisation=world.org)
    assert AnnotationTheme.objects.filter(key="mobile_app").count() == len(APP_COMPLAINTS) * 2
