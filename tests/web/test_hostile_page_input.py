"""Pages answer hostile query strings, paths, form fields and bodies with a 4xx and a message, never a 500.

Results pages refuse invalid filters with a 400 page naming the field; ids beyond the 64-bit range in
paths are 404; control characters anywhere are refused at the edge (respondents read why in their
language); bodies over the page limit get a 413 page.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from heed.analytics.models import WeightingScheme
from heed.responses.models import Response
from heed.surveys.i18n_strings import EDGE_STRINGS
from heed.surveys.models import Survey
from tests.conftest import login

HUGE = "10000000000000000000"

DASHBOARD_BAD = [
    ("survey", HUGE), ("survey", "abc"), ("survey", "-1"), ("unit", HUGE), ("unit", "1.5"), ("date_from", "0001-01-01"),
    ("date_from", "1999-12-31"), ("date_to", "9999-12-31"), ("date_to", "2100-01-01"), ("date_from", "1/2/03"),
    ("date_from", "0"), ("date_to", "2024-02-30"), ("channel", "pigeon"), ("language", "de"), ("group_by", "colour"),
    ("trend", "decade"), ("weighting", HUGE), ("weighting", "x"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "value"), DASHBOARD_BAD)
def test_dashboard_refuses_bad_filters_with_a_400_page(world, name, value):
    response = login(world.analyst).get("/dashboard/", {name: value})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="filter-error"' in html and 'id="filter-error-list"' in html
    assert "summary" not in response.context  # nothing computed from invalid filters


def test_dashboard_accepts_the_edges_of_the_date_window(world):
    response = login(world.analyst).get("/dashboard/", {"date_from": "2000-01-01", "date_to": "2099-12-31"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("name", "value"), [("date_from", "0001-01-01"), ("date_to", "9999-12-31"), ("unit", HUGE), ("outcome", "x" * 50)]
)
def test_driver_page_refuses_bad_settings_with_the_400_filter_page(world, name, value):
    response = login(world.analyst).get(f"/surveys/{world.survey.id}/drivers/", {name: value})
    assert response.status_code == 400
    assert 'id="filter-error"' in response.content.decode() and "analysis" not in response.context


@pytest.mark.parametrize(
    "path",
    [f"/surveys/{HUGE}/edit/", f"/surveys/{HUGE}/drivers/", f"/surveys/{HUGE}/weighting/", f"/links/{HUGE}/qr.png",
     f"/surveys/{{survey}}/questions/{HUGE}/", f"/surveys/{{survey}}/edit/?edit={HUGE}"],
)  # fmt: skip
def test_ids_beyond_64_bits_in_page_paths_are_404(world, path):
    client = login(world.analyst)
    response = client.get(path.format(survey=world.survey.id))
    assert response.status_code in {404, 405}


def test_recompute_of_an_unknown_scheme_beyond_64_bits_is_404(world):
    assert login(world.analyst).post(f"/weighting/{HUGE}/recompute/").status_code == 404


def test_respondent_question_index_beyond_64_bits_shows_the_first_question(world):
    response = Client().get(f"/s/{world.link_a.token}/", {"q": HUGE * 3})
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["channel=%00", "date_from=2024%0001-01", "x%1b=1", "touchpoint=a%07"])
def test_control_characters_in_page_query_strings_are_refused(world, query):
    response = login(world.analyst).get(f"/dashboard/?{query}")
    assert response.status_code == 400
    assert "control character" in response.content.decode()


def test_control_characters_in_a_form_field_are_refused_and_nothing_is_created(world):
    before = Survey.objects.count()
    client = login(world.analyst)
    response = client.post(
        "/surveys/new/", {"title": "Store\u0000visit", "languages": ["en"], "default_language": "en"}
    )
    assert response.status_code == 400
    assert "U+0000" in response.content.decode()
    assert Survey.objects.count() == before


def test_a_respondent_is_told_in_their_language_and_can_go_on(world):
    client = Client(headers={"Accept-Language": "it-IT,it;q=0.9"})
    url = f"/s/{world.link_a.token}/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"index": 0, "question": "store_experience", "answer": "4\u0000", "action": "next"})
    assert refused.status_code == 400
    assert EDGE_STRINGS["it"]["control_characters"] in refused.content.decode()
    retry = client.post(url, {"index": 0, "question": "store_experience", "answer": "4", "action": "next"})
    assert retry.status_code == 302  # the session went on untouched
    assert Response.objects.count() == 0


def test_a_margins_file_with_a_control_character_is_refused_with_a_message(world):
    client = login(world.analyst)
    upload = SimpleUploadedFile("m.csv", b"gender,female,0.5\ngender,ma\x00le,0.5\n", content_type="text/csv")
    response = client.post(f"/surveys/{world.survey.id}/weighting/", {"name": "Base", "margins_file": upload})
    assert response.status_code == 422
    assert "U+0000" in response.content.decode()
    assert WeightingScheme.objects.count() == 0


def test_a_page_body_over_the_page_limit_is_a_413_page(world, settings):
    client = login(world.analyst)
    big = "x" * (settings.HEED_PAGE_MAX_BODY_BYTES + 1)
    response = client.post("/surveys/new/", {"title": big, "languages": ["en"], "default_language": "en"})
    assert response.status_code == 413
    assert str(settings.HEED_PAGE_MAX_BODY_BYTES) in response.content.decode()
    respondent = Client().post(f"/s/{world.link_a.token}/", {"index": 0, "answer": big})
    assert respondent.status_code == 413
    assert EDGE_STRINGS["en"]["payload_too_large"] in respondent.content.decode()


def test_a_link_for_a_unit_id_beyond_64_bits_is_a_form_error(world):
    client = login(world.analyst)
    response = client.post(f"/surveys/{world.survey.id}/links/", {"channel": "qr", "unit": HUGE, "name": "x"})
    assert response.status_code == 422
    assert "less than or equal to" in response.content.decode()
    unknown = client.post(f"/surveys/{world.survey.id}/links/", {"channel": "qr", "unit": 987654, "name": "x"})
    assert unknown.status_code == 422 and "No such unit" in unknown.content.decode()


@pytest.mark.parametrize(("field", "value"), [("min_value", "-1e300"), ("max_value", "1e300"), ("max_value", "inf")])
def test_a_question_scale_beyond_the_number_limit_is_a_form_error(world, field, value):
    edit = f"/surveys/{world.survey.id}/edit/"
    form = {"form": "question", "key": "km", "type": "number", "text_en": "How far?", field: value}
    response = login(world.analyst).post(edit, form)
    assert response.status_code == 422
    assert not world.survey.questions.filter(key="km").exists()


@pytest.mark.parametrize("value", ["xx", "EN", HUGE])
def test_theme_discovery_in_an_unknown_language_is_a_400_page(world, value):
    response = login(world.analyst).get("/themes/", {"discover": value})
    assert response.status_code == 400
    assert 'id="filter-error"' in response.content.decode()


def test_edge_messages_exist_in_every_respondent_language():
    from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES

    assert set(EDGE_STRINGS) == set(SUPPORTED_LANGUAGES)
    keys = set(EDGE_STRINGS["en"])
    for language, strings in EDGE_STRINGS.items():
        assert set(strings) == keys, language
        assert all(text and "{" not in text for text in strings.values()), language
    assert len({strings["control_characters"] for strings in EDGE_STRINGS.values()}) == len(SUPPORTED_LANGUAGES)


def _int_routes() -> list[tuple[str, str]]:
    """(name, route) of every page URL pattern with an integer id: ``<dbid:...>``/``<int:...>`` converters, or a
    regex group of digits; the admin's and the API's patterns are left out (the API bounds ids by ``DbId``)."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.resolvers import RoutePattern

    found: list[tuple[str, str]] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            text = str(entry.pattern)
            if isinstance(entry, URLResolver):
                if text.startswith(("admin/", "api/")):
                    continue
                walk(entry.url_patterns, prefix + text)
            elif isinstance(entry, URLPattern):
                route = prefix + text
                numeric = isinstance(entry.pattern, RoutePattern) and any(
                    type(c).__name__ in {"IntConverter", "DbIdConverter"} for c in entry.pattern.converters.values()
                )
                if numeric or "[0-9]+" in route:
                    found.append((entry.name or route, route))

    walk(get_resolver().url_patterns, "")
    return found


def _fill(route: str, number: str) -> str:
    """The path of ``route`` with every integer parameter ``number`` and the other parameters a plain value."""
    import re

    path = re.sub(r"<(?:int|dbid):\w+>", number, route)
    path = re.sub(r"\(\?P<\w+>\[0-9\]\+\)", number, path)
    path = re.sub(r"\(\?P<\w+>\(?([a-z]+)\|[^)]*\)", r"\1", path)  # (?P<fmt>png|svg) -> png
    path = re.sub(r"<(?:\w+:)?\w+>", "x", path).replace("\\", "")
    return "/" + path.lstrip("^").rstrip("$")


def test_every_page_route_with_an_integer_id_is_found_by_the_walk():
    names = {name for name, _ in _int_routes()}
    assert {"fieldwork-interview", "cati-list", "survey-edit", "response-detail", "org-user", "link-qr"} <= names
    assert len(names) >= 25


@pytest.mark.parametrize("number", [str(2**63), str(2**64), "0"])
def test_every_page_route_answers_ids_beyond_64_bits_with_a_404(world, number):
    client = login(world.analyst)
    failures = []
    for name, route in _int_routes():
        path = _fill(route, number)
        for method in (client.get, client.post):
            status = method(path).status_code
            if status != 404:
                failures.append(f"{method.__name__.upper()} {path} ({name}): {status}")
    assert not failures, "\n".join(failures)
