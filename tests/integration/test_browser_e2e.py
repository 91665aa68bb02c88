"""End to end in real headless Chromium against pytest-django's live server.

An analyst builds and publishes a bilingual survey through the web UI; a respondent on a phone whose
browser asks for Italian answers it; the analyst sees the response on the dashboard. A second test
checks that the respondent page works with JavaScript switched off.

Playwright's sync API keeps an asyncio loop running on the test thread, and Django refuses ORM calls
from a thread with a running loop (SynchronousOnlyOperation). So each test writes its data before
Chromium starts and reads the database only after Chromium has stopped; the live server answers the
browser from its own threads, which have no loop.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from heed.accounts.models import Role
from heed.accounts.services import organisation_create, user_create
from heed.distribution.services import link_create
from heed.responses.models import Response
from heed.surveys.i18n_strings import TEMPLATE_TEXTS, UI_STRINGS
from heed.surveys.models import Survey
from heed.surveys.services import survey_create, survey_publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PASSWORD = "correct-horse-battery"
TIMEOUT_MS = 10_000
IT = UI_STRINGS["it"]
EN = UI_STRINGS["en"]


@contextmanager
def chromium() -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def _context(browser, base_url: str, **options):
    context = browser.new_context(base_url=base_url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _text(key: str, lang: str, brand: str) -> str:
    return TEMPLATE_TEXTS[key][lang].replace("{brand}", brand)


def test_analyst_publishes_bilingual_survey_and_italian_phone_respondent_answers(live_server, settings):
    from playwright.sync_api import expect

    settings.BASE_URL = live_server.url  # links (and so the public link read below) are built from it
    org = organisation_create(
        name="Acme Retail", slug="acme", brand="Acme", languages=["en", "it"], default_language="en"
    )
    user_create(organisation=org, username="ana", password=PASSWORD, role=Role.ANALYST)
    comment = "Personale <b>gentilissimo</b> & cassa veloce, tornerò!"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    with chromium() as browser:
        # --- The analyst logs in, creates the survey from a template, adds a question, publishes ----------
        analyst = _context(browser, live_server.url)
        page = analyst.new_page()
        page.goto("/login/")
        page.get_by_label("Username").fill("ana")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r"/dashboard/$"))

        page.goto("/surveys/new/")
        page.get_by_label("Title").fill("Checkout satisfaction")
        page.get_by_label("Start from").select_option("transaction_csat")
        for code, name in (("en", "English"), ("it", "Italiano")):
            page.locator(f'input[name="languages"][value="{code}"]').check()
            expect(page.get_by_label(name, exact=True)).to_be_checked()
        for other in page.locator('input[name="languages"]').all():
            if other.get_attribute("value") not in ("en", "it"):
                other.uncheck()
        page.get_by_label("Default language").select_option("en")
        page.get_by_role("button", name="Create").click()
        page.wait_for_url(re.compile(r"/surveys/\d+/edit/$"))
        questions = page.locator("ol.questions > li.question")
        expect(questions).to_have_count(3)  # csat, nps, comment from the template
        expect(questions.nth(0)).to_contain_text(_text("csat", "it", "Acme"))

        form = page.locator("form.question-form")
        form.get_by_label("Key", exact=True).fill("visit_reason")
        form.get_by_label("Type", exact=True).select_option("single_choice")
        form.get_by_label("Required", exact=True).check()
        form.get_by_label("Question (en)", exact=True).fill("What brought you in today?")
        form.get_by_label("Options (en)", exact=True).fill("shopping = Shopping\nreturn = Returning an item")
        form.get_by_label("Question (it)", exact=True).fill("Che cosa ti ha portato qui oggi?")
        form.get_by_label("Options (it)", exact=True).fill("Fare acquisti\nRestituire un articolo")
        page.locator("#save-question").click()
        expect(page.locator("ul.messages")).to_contain_text("Question saved.")
        expect(questions).to_have_count(4)
        expect(questions.nth(3)).to_contain_text("visit_reason")
        expect(questions.nth(3)).to_contain_text("Che cosa ti ha portato qui oggi?")
        expect(page.locator("p.warning")).to_have_count(0)  # nothing blocks publishing

        page.locator("#publish").click()
        page.wait_for_url(re.compile(r"/surveys/\d+/links/$"))
        expect(page.locator("ul.messages")).to_contain_text("Published version 1.")
        public_link = page.locator("a.public-link")
        expect(public_link).to_have_count(1)
        survey_url = public_link.get_attribute("href")
        assert survey_url is not None
        assert re.fullmatch(re.escape(live_server.url) + r"/s/[\w-]{8,64}/", survey_url), survey_url

        # --- A respondent on a phone whose browser prefers Italian ---------------------------------------
        phone = _context(
            browser,
            live_server.url,
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
            locale="it-IT",
            extra_http_headers={"Accept-Language": "it-IT,it;q=0.9"},
        )
        respondent = phone.new_page()
        respondent.goto(survey_url)
        expect(respondent.locator("html")).to_have_attribute("lang", "it")
        expect(respondent.locator("#progress-text")).to_have_text(IT["progress"].format(current=1, total=4))
        expect(respondent.locator("legend.qtext")).to_have_text(_text("csat", "it", "Acme"))
        next_button = respondent.get_by_role("button", name=IT["next"], exact=True)
        expect(next_button).to_be_visible()
        respondent.screenshot(path=str(SCREENSHOTS / "respondent-question-it-phone.png"), full_page=True)

        next_button.tap()  # a required question left unanswered
        expect(respondent.locator("#error-summary[role=alert]")).to_be_focused()
        expect(respondent.locator("p.error")).to_have_text(IT["required"])
        expect(respondent.locator("fieldset.choices input[type=radio]").first).to_have_attribute("aria-invalid", "true")
        expect(respondent.locator("#progress-text")).to_have_text(IT["progress"].format(current=1, total=4))

        very_satisfied = _text("csat_5", "it", "Acme")
        respondent.get_by_text(very_satisfied, exact=True).tap()  # the label, not the tiny radio
        expect(respondent.get_by_role("radio", name=very_satisfied)).to_be_checked()
        respondent.screenshot(path=str(SCREENSHOTS / "respondent-required-it-phone.png"), full_page=True)
        next_button.tap()

        expect(respondent.locator("#progress-text")).to_have_text(IT["progress"].format(current=2, total=4))
        expect(respondent.locator("legend.qtext")).to_contain_text(_text("nps", "it", "Acme"))
        expect(respondent.locator("p.anchors")).to_contain_text(IT["extremely_likely"])
        respondent.locator("label.option").filter(has_text=re.compile(r"^\s*9\s*$")).tap()
        expect(respondent.get_by_role("radio", name="9", exact=True)).to_be_checked()
        respondent.get_by_role("button", name=IT["next"], exact=True).tap()

        expect(respondent.locator("#progress-text")).to_have_text(IT["progress"].format(current=3, total=4))
        textarea = respondent.get_by_label(_text("comment", "it", "Acme"))
        expect(textarea).to_be_visible()
        textarea.fill(comment)
        respondent.get_by_role("button", name=IT["next"], exact=True).tap()

        expect(respondent.locator("#progress-text")).to_have_text(IT["progress"].format(current=4, total=4))
        expect(respondent.locator("legend.qtext")).to_have_text("Che cosa ti ha portato qui oggi?")
        respondent.get_by_text("Fare acquisti", exact=True).tap()
        expect(respondent.get_by_role("radio", name="Fare acquisti")).to_be_checked()
        respondent.get_by_role("button", name=IT["submit"], exact=True).tap()

        respondent.wait_for_url(re.compile(r"/s/[\w-]+/thanks/$"))
        expect(respondent.locator("html")).to_have_attribute("lang", "it")
        expect(respondent.get_by_role("heading", level=1)).to_have_text(IT["thank_you_title"])
        expect(respondent.locator("main")).to_contain_text(IT["thank_you_body"])
        phone.close()

        # --- The analyst sees the response on the dashboard ----------------------------------------------
        script_errors: list[str] = []
        page.on("pageerror", lambda exc: script_errors.append(str(exc)))
        page.goto("/dashboard/")
        expect(page.locator("#responses-total")).to_have_text("1")
        expect(page.locator("#comments p.comment")).to_have_count(1)
        expect(page.locator("#comments p.comment")).to_have_text(comment)  # escaped, shown literally
        expect(page.locator("#comments p.comment")).to_have_attribute("lang", "it")
        expect(page.locator("#comments b")).to_have_count(0)
        page.wait_for_load_state("load")
        page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)
        assert script_errors == []
        analyst.close()

    # --- The stored response (the ORM is usable again now that Chromium has stopped) -----------------
    survey = Survey.objects.get(organisation=org, title="Checkout satisfaction")
    assert survey.languages == ["en", "it"]
    response = Response.objects.get(survey=survey)
    assert response.language == "it"
    assert (response.csat_score, response.nps_score) == (5, 9)
    answers = {a.question_key: a for a in response.answers.all()}
    assert set(answers) == {"csat", "nps", "comment", "visit_reason"}
    assert {key: a.value for key, a in answers.items()} == {
        "csat": 5,
        "nps": 9,
        "comment": comment,
        "visit_reason": "shopping",
    }
    for name in ("respondent-question-it-phone.png", "respondent-required-it-phone.png", "dashboard.png"):
        assert (SCREENSHOTS / name).stat().st_size > 0


def test_respondent_page_works_without_javascript(live_server):
    org = organisation_create(
        name="Acme Retail", slug="acme", brand="Acme", languages=["en", "it"], default_language="en"
    )
    analyst = user_create(organisation=org, username="ana", password=PASSWORD, role=Role.ANALYST)
    survey = survey_create(
        organisation=org,
        title="No-JS check",
        created_by=analyst,
        languages=["en", "it"],
        default_language="en",
        template_key="transaction_csat",
    )
    survey_publish(survey=survey, actor=analyst)
    link = link_create(survey=survey, name="Web link")
    from playwright.sync_api import expect

    with chromium() as browser:
        context = _context(
            browser,
            live_server.url,
            java_script_enabled=False,
            locale="en-GB",
            extra_http_headers={"Accept-Language": "en-GB,en;q=0.9"},
        )
        page = context.new_page()
        page.goto(f"/s/{link.token}/")
        expect(page.locator("#progress-text")).to_have_text(EN["progress"].format(current=1, total=3))
        satisfied = _text("csat_4", "en", "Acme")
        page.get_by_text(satisfied, exact=True).click()
        expect(page.get_by_role("radio", name=satisfied, exact=True)).to_be_checked()
        page.get_by_role("button", name=EN["next"], exact=True).click()

        page.wait_for_url(re.compile(r"\?q=1$"))
        expect(page.locator("#progress-text")).to_have_text(EN["progress"].format(current=2, total=3))
        expect(page.locator("legend.qtext")).to_contain_text(_text("nps", "en", "Acme"))

        page.get_by_role("button", name=EN["back"], exact=True).click()  # the answer was kept server-side
        expect(page.locator("#progress-text")).to_have_text(EN["progress"].format(current=1, total=3))
        expect(page.get_by_role("radio", name=satisfied, exact=True)).to_be_checked()
        context.close()
