"""Research test b.4.8: a respondent online whose response lands beyond a full quota gets the quota-full ending
in their language; the response is stored (screened out, not counted)."""

from __future__ import annotations

from django.test import Client

from heed.fieldwork.models import QuotaMembership
from heed.fieldwork.services import quota_create
from heed.responses.models import Response
from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES, UI_STRINGS
from tests.responses.test_respond import ANSWERS, _post


def _answer_all(client: Client, url: str):
    for index, (_key, value) in enumerate(ANSWERS):
        client.get(f"{url}?q={index}")
        result = _post(client, url, index, value)
    return client.get(result["Location"]).content.decode()


def test_the_respondent_beyond_a_full_quota_gets_the_quota_full_ending_in_their_language(world):
    quota_create(survey=world.survey, name="Women 18-24", target=1, conditions={"gender": ["female"],
                                                                                "age_group": ["18-24"]})  # fmt: skip
    url = f"/s/{world.link_a.token}/"
    first = _answer_all(Client(headers={"Accept-Language": "it"}), url)
    assert UI_STRINGS["it"]["thank_you_body"] in first and UI_STRINGS["it"]["quota_full_body"] not in first
    second = _answer_all(Client(headers={"Accept-Language": "hr"}), url)
    assert UI_STRINGS["hr"]["quota_full_body"] in second and UI_STRINGS["hr"]["thank_you_body"] not in second
    assert Response.objects.count() == 2
    assert sorted(QuotaMembership.objects.values_list("status", "counted")) == [
        ("screened_in", True), ("screened_out_over_quota", False)
    ]  # fmt: skip


def test_every_language_has_the_quota_full_ending():
    for language in SUPPORTED_LANGUAGES:
        assert UI_STRINGS[language]["quota_full_title"] and UI_STRINGS[language]["quota_full_body"]
    assert len({UI_STRINGS[language]["quota_full_body"] for language in SUPPORTED_LANGUAGES}) == 6
