"""A reversed date range (start after end) is a translated form error on the pages and a 400 with the code
``date_range_reversed`` on the API (a domain rule the OpenAPI cannot state; 422 is for schema errors, see
tests/api/schemathesis.toml), never a silent "0 responses"."""

from __future__ import annotations

import pytest

from tests.conftest import api_client, login

REVERSED = {"date_from": "2026-12-01", "date_to": "2020-01-01"}
MESSAGES = {"en": "The start date lies after the end date.", "hr": "Datum početka je nakon datuma završetka."}


def _pages(world) -> list[str]:
    return ["/dashboard/", "/comments/", f"/surveys/{world.survey.id}/drivers/"]


def test_results_pages_refuse_a_reversed_date_range_with_a_message(world):
    client = login(world.analyst)
    for url in _pages(world):
        response = client.get(url, REVERSED)
        assert response.status_code == 400, url
        html = response.content.decode()
        assert 'id="filter-error-list"' in html and MESSAGES["en"] in html, url


def test_the_reversed_range_message_is_translated(world):
    from django.utils import translation

    with translation.override("hr"):
        expected = str(translation.gettext(MESSAGES["en"]))
    assert expected != MESSAGES["en"]
    world.analyst.language = "hr"
    world.analyst.save(update_fields=["language"])
    client = login(world.analyst)
    client.cookies["django_language"] = "hr"
    html = client.get("/dashboard/", REVERSED, headers={"Accept-Language": "hr"}).content.decode()
    assert expected in html


def test_a_range_of_one_day_and_open_ends_are_accepted(world):
    client = login(world.analyst)
    for query in ({"date_from": "2026-01-01", "date_to": "2026-01-01"}, {"date_from": "2026-12-01"},
                  {"date_to": "2020-01-01"}):  # fmt: skip
        assert client.get("/dashboard/", query).status_code == 200


@pytest.mark.parametrize("path", ["/api/metrics", "/api/responses", "/api/themes", "/api/staff-mentions",
                                  "/api/surveys/{survey}/drivers", "/api/surveys/{survey}/engagement"])  # fmt: skip
def test_the_api_refuses_a_reversed_date_range_with_a_400(world, path):
    response = api_client(world.analyst).get(path.format(survey=world.survey.id), REVERSED)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "date_range_reversed"
    assert MESSAGES["en"] in response.json()["detail"]


def test_the_audit_api_refuses_a_reversed_date_range_with_a_400(world):
    from heed.accounts.models import Role

    world.analyst.role = Role.ADMIN
    world.analyst.save(update_fields=["role"])
    response = api_client(world.analyst).get("/api/audit-events", REVERSED)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "date_range_reversed"
