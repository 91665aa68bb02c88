"""The analyst and manager interface in Italian and Croatian, through the real pages in headless Chromium.

An Italian analyst (preference ``it``, an Italian browser) and a Croatian administrator (preference ``hr``, an
English browser: the preference wins after logging in) open the dashboard, the survey list and the survey
builder. Each page must show the translated navigation and headings, ``<html lang>`` must name the language,
and no English navigation or heading may remain.

As in test_browser_e2e.py, the ORM is used only while Chromium is not running on this thread.
"""

from __future__ import annotations

import re

import pytest

from heed.accounts.models import Role
from heed.accounts.services import organisation_create, user_create, user_set_language
from heed.surveys.services import survey_create, survey_publish
from tests.integration.test_browser_e2e import PASSWORD, _context, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The staff navigation and the headings and buttons of the three pages, as they read in English.
ENGLISH = [
    "Dashboard", "Surveys", "Themes", "Tokens", "Organisation", "Log out", "Customer voice", "Apply",
    "Headline metrics", "What customers say", "New survey", "Templates", "Key drivers", "Links & QR", "Preview",
    "Questions", "Add a question", "Add question", "Survey settings", "Weighting", "Publish", "Title", "Status",
]  # fmt: skip

SHOWN = {
    "it": {
        "nav": ["Cruscotto", "Sondaggi", "Temi", "Token API", "Esci"],
        "/dashboard/": ["Voce del cliente", "Risposte", "Applica", "Cosa dicono i clienti"],
        "/surveys/": ["Sondaggi", "Nuovo sondaggio", "Titolo", "Stato", "Lingue", "Modelli"],
        "edit": ["Domande", "Aggiungi una domanda", "Anteprima", "Ponderazione", "Pubblica nuova versione"],
    },
    "hr": {
        "nav": ["Nadzorna ploča", "Ankete", "Teme", "API tokeni", "Organizacija", "Odjava"],
        "/dashboard/": ["Glas kupaca", "Odgovori", "Primijeni", "Što kažu kupci"],
        "/surveys/": ["Ankete", "Nova anketa", "Naslov", "Status", "Jezici", "Predlošci"],
        "edit": ["Pitanja", "Dodaj pitanje", "Pregled", "Ponderiranje", "Objavi novu verziju"],
    },
}


def _english_left(text: str, language: str) -> list[str]:
    """The English words still on the page, except those the language spells the same ("Status" in Croatian)."""
    own = {words for expected in SHOWN[language].values() for words in expected}
    return [words for words in ENGLISH
            if words not in own and re.search(rf"(?<![\w-]){re.escape(words)}(?![\w-])", text)]  # fmt: skip


def _setup():
    org = organisation_create(
        name="Adriatica", slug="adriatica", brand="Adriatica", languages=["it", "hr", "en"], default_language="it"
    )
    analyst = user_create(organisation=org, username="giulia", password=PASSWORD, role=Role.ANALYST)
    admin = user_create(organisation=org, username="ivana", password=PASSWORD, role=Role.ADMIN)
    user_set_language(actor=analyst, user=analyst, language="it")
    user_set_language(actor=admin, user=admin, language="hr")
    survey = survey_create(organisation=org, title="Negozi 2026", created_by=analyst, languages=["it", "hr", "en"],
                           default_language="it", template_key="store_intercept")  # fmt: skip
    survey_publish(survey=survey, actor=analyst)
    return survey


@pytest.mark.parametrize(
    ("username", "language", "browser_locale", "login_labels"),
    [
        ("giulia", "it", "it-IT", ("Nome utente", "Password", "Accedi")),  # the login page follows the browser
        ("ivana", "hr", "en-GB", ("Username", "Password", "Log in")),  # after it, the user's preference wins
    ],
)
def test_the_staff_pages_speak_the_users_language(live_server, username, language, browser_locale, login_labels):
    from playwright.sync_api import expect

    survey = _setup()
    shown = SHOWN[language]
    with chromium() as browser:
        context = _context(browser, live_server.url, locale=browser_locale)
        page = context.new_page()
        page.goto("/login/")
        user_label, password_label, button = login_labels
        page.get_by_label(user_label).fill(username)
        page.get_by_label(password_label).fill(PASSWORD)
        page.get_by_role("button", name=button).click()
        page.wait_for_url(re.compile(r"/dashboard/$"))

        for path in ("/dashboard/", "/surveys/", f"/surveys/{survey.id}/edit/"):
            page.goto(path)
            expect(page.locator("html")).to_have_attribute("lang", language)
            nav = page.locator("header.nav")
            for words in shown["nav"]:
                expect(nav).to_contain_text(words)
            assert _english_left(nav.inner_text(), language) == [], path
            main = page.locator("main")
            for words in shown["edit" if path.endswith("/edit/") else path]:
                expect(main).to_contain_text(words)
            assert _english_left(main.inner_text(), language) == [], path
        context.close()
