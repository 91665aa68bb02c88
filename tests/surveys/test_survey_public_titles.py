"""A survey's public title per language (issue 9, point 6): the name respondents see in the page title, set in the
builder's settings and over the API, apart from the team's own title, which respondents never see."""

from __future__ import annotations

import json
import re

from django.test import Client
from django.utils import translation

from heed.distribution.services import link_create
from heed.surveys.forms import SurveySettingsForm
from heed.surveys.i18n_strings import UI_STRINGS
from heed.surveys.models import Survey
from heed.surveys.services import survey_update
from tests.conftest import api_client, login


def _title(client: Client, url: str) -> str:
    match = re.search(r"<title>(.*?)</title>", client.get(url).content.decode(), re.S)
    assert match
    return match.group(1).strip()


def test_respondents_see_the_public_title_of_their_language_else_the_brand_survey_in_it(world):
    titles = {"en": "Your visit to Acme", "it": "La tua visita da Acme", "ru": "dropped"}
    survey_update(survey=world.survey, title="Store visit", languages=["en", "it", "hr"], default_language="en",
                  public_titles=titles)  # fmt: skip
    assert Survey.objects.get(pk=world.survey.pk).public_titles == {
        "en": "Your visit to Acme",
        "it": "La tua visita da Acme",
    }
    url = f"/s/{world.link_a.token}/"
    progress = {lang: UI_STRINGS[lang]["progress"].format(current=1, total=9) for lang in ("en", "it", "hr")}
    assert _title(Client(), f"{url}?lang=it") == f"{progress['it']} – La tua visita da Acme"
    assert _title(Client(), f"{url}?lang=en") == f"{progress['en']} – Your visit to Acme"
    assert _title(Client(), f"{url}?lang=hr") == f"{progress['hr']} – Anketa tvrtke Acme"  # none in Croatian


def test_the_builder_settings_show_and_save_a_public_title_per_survey_language(world):
    client = login(world.analyst)
    page = client.get(f"/surveys/{world.survey.id}/edit/").content.decode()
    assert re.findall(r'name="public_title_(\w+)"', page) == ["en", "it", "hr"]  # the survey's languages only
    assert 'aria-describedby="public-title-hint"' in page and 'id="public-title-hint"' in page
    saved = client.post(f"/surveys/{world.survey.id}/settings/", {
        "title": "Store visit", "languages": ["en", "it", "hr"], "default_language": "en",
        "public_title_en": "  Your visit  ", "public_title_it": "La tua visita", "public_title_hr": "",
    })  # fmt: skip
    assert saved.status_code == 302
    assert Survey.objects.get(pk=world.survey.pk).public_titles == {"en": "Your visit", "it": "La tua visita"}
    page = client.get(f"/surveys/{world.survey.id}/edit/").content.decode()
    assert 'value="La tua visita"' in page
    assert "Public title (English)" in page
    with translation.override("it"):  # the staff interface's five other languages have the labels
        assert str(SurveySettingsForm().fields["public_title_en"].label) == "Titolo pubblico (English)"


def test_the_api_sets_and_returns_public_titles_and_bounds_them(world):
    client = api_client(world.analyst)
    url = f"/api/surveys/{world.survey.id}/settings"
    body = {"title": "Store visit", "languages": ["en", "it", "hr"], "default_language": "en"}
    put = client.put(url, data=json.dumps({**body, "public_titles": {"it": "Visita", "en": ""}}),
                     content_type="application/json")  # fmt: skip
    assert put.status_code == 200 and put.json()["public_titles"] == {"it": "Visita"}
    kept = client.put(url, data=json.dumps(body), content_type="application/json")  # omitted: unchanged
    assert kept.json()["public_titles"] == {"it": "Visita"}
    too_long = client.put(url, data=json.dumps({**body, "public_titles": {"it": "x" * 201}}),
                          content_type="application/json")  # fmt: skip
    assert too_long.status_code == 422
    unknown = client.put(url, data=json.dumps({**body, "public_titles": {"xx": "?"}}), content_type="application/json")
    assert unknown.status_code == 422
    assert Survey.objects.get(pk=world.survey.pk).public_titles == {"it": "Visita"}
    assert client.get(f"/api/surveys/{world.survey.id}/draft").json()["public_titles"] == {"it": "Visita"}


def test_dropping_a_language_drops_its_public_title(world):
    survey_update(survey=world.survey, title="S", languages=["en", "it", "hr"], default_language="en",
                  public_titles={"it": "Visita", "hr": "Posjet"})  # fmt: skip
    survey_update(survey=world.survey, title="S", languages=["en", "hr"], default_language="en")
    assert Survey.objects.get(pk=world.survey.pk).public_titles == {"hr": "Posjet"}
    link = link_create(survey=world.survey)
    assert "Posjet" in _title(Client(), f"/s/{link.token}/?lang=hr")
