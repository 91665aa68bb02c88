"""Out-of-range and wrongly typed parameters get a 4xx with the JSON error shape on every endpoint, never a 500.

A table of hostile values per kind of parameter (ids, page sizes, offsets, dates, enums, short text)
is sent to every read endpoint that takes the parameter, and to ``POST /api/responses`` for the body's
fields; each answer must be 422 naming the parameter in ``errors``. The largest valid values pass.
"""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from heed.responses.models import Response
from tests.conftest import VALID_INTERCEPT, api_client

HUGE = "10000000000000000000"  # > 2**63
BAD_IDS = [HUGE, "9223372036854775808", "0", "-5", "1.5", "1e3", "abc", ""]
BAD_LIMITS = [HUGE, "60000", "501", "0", "-1", "2.5", "x", ""]
BAD_OFFSETS = [HUGE, "10000001", "-1", "x"]
BAD_DATES = ["0", "1700000000", "0001-01-01", "1999-12-31", "2100-01-01", "9999-12-31", "2024-02-30", "2024-1-5",
             "20240105", "2024-01-05T00:00:00", "", "yesterday"]  # fmt: skip
BAD_ENUMS = {"channel": ["pigeon", "WEB", ""], "language": ["de", "EN", "en-GB"], "group_by": ["colour", "survey"]}

FILTERED = ["/api/responses", "/api/metrics", "/api/themes", "/api/staff-mentions"]
SURVEY_PATHS = ["/api/surveys/{id}/drivers", "/api/surveys/{id}/engagement"]


def _endpoints(world) -> list[str]:
    return FILTERED + [path.format(id=world.survey.id) for path in SURVEY_PATHS]


def _assert_refused(response, where: str) -> None:
    assert response.status_code == 422, (where, response.status_code, response.content[:300])
    body = response.json()
    assert body["code"] == "invalid_input" and where in body["errors"], body
    assert isinstance(body["detail"], str) and where in body["detail"]


def test_ids_out_of_the_64_bit_range_are_refused_everywhere(world):
    client = api_client(world.analyst)
    for path in _endpoints(world):
        names = ["unit_id"] + (["survey_id"] if path in FILTERED else [])
        for name in names:
            for value in BAD_IDS:
                _assert_refused(client.get(path, {name: value}), f"query.{name}")
    for value in [HUGE, "0"]:
        _assert_refused(client.get(f"/api/surveys/{value}"), "path.survey_id")
        _assert_refused(client.get(f"/api/surveys/{value}/drivers"), "path.survey_id")
    _assert_refused(client.get("/api/metrics", {"weighting": HUGE}), "query.weighting")


def test_the_largest_id_is_valid_and_finds_nothing(world):
    client = api_client(world.analyst)
    largest = str(2**63 - 1)
    for path, name in [("/api/responses", "survey_id"), ("/api/metrics", "unit_id"), ("/api/themes", "survey_id")]:
        response = client.get(path, {name: largest})
        assert response.status_code == 404 and response.json()["code"] == "not_found"  # not a 422, not a 500
    assert client.get(f"/api/surveys/{largest}").status_code == 404


def test_page_size_and_offset_are_capped(world):
    client = api_client(world.analyst)
    for value in BAD_LIMITS:
        _assert_refused(client.get("/api/responses", {"limit": value}), "query.limit")
    for value in BAD_OFFSETS:
        _assert_refused(client.get("/api/responses", {"offset": value}), "query.offset")
    assert client.get("/api/responses", {"limit": 500, "offset": 10_000_000}).status_code == 200


def test_page_size_cap_is_documented(world):
    schema = api_client(world.analyst).get("/api/openapi.json").json()
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/responses"]["get"]["parameters"]}
    assert parameters["limit"]["maximum"] == 500 and parameters["limit"]["minimum"] == 1
    assert parameters["offset"]["maximum"] == 10_000_000
    assert parameters["survey_id"]["maximum"] == 2**63 - 1
    assert parameters["channel"]["enum"][0] == "web"
    assert parameters["date_from"]["pattern"].startswith("^20")


def test_dates_outside_2000_to_2099_or_not_iso_are_refused_everywhere(world):
    client = api_client(world.analyst)
    for path in _endpoints(world):
        for name in ("date_from", "date_to"):
            for value in BAD_DATES:
                _assert_refused(client.get(path, {name: value}), f"query.{name}")
    edges = {"date_from": "2000-01-01", "date_to": "2099-12-31"}
    assert client.get("/api/responses", edges).status_code == 200


def test_enum_parameters_accept_only_their_listed_values(world):
    client = api_client(world.analyst)
    for path in _endpoints(world):
        for name in ("channel", "language"):
            for value in BAD_ENUMS[name]:
                _assert_refused(client.get(path, {name: value}), f"query.{name}")
    for value in BAD_ENUMS["group_by"]:
        _assert_refused(client.get("/api/metrics", {"group_by": value}), "query.group_by")


def test_short_text_filters_are_bounded(world):
    client = api_client(world.analyst)
    for path in _endpoints(world):
        for name in ("touchpoint", "age_group"):
            _assert_refused(client.get(path, {name: "x" * 61}), f"query.{name}")
    _assert_refused(client.get(f"/api/surveys/{world.survey.id}/drivers", {"outcome": "k" * 41}), "query.outcome")


def _post(client, payload: dict):
    return client.post("/api/responses", data=json.dumps(payload), content_type="application/json")


def _payload(world, **overrides) -> dict:
    return {"survey_id": world.survey.id, "answers": dict(VALID_INTERCEPT), "unit_id": world.store_a.id} | overrides


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("survey_id", 10**19), ("survey_id", 0), ("survey_id", "x"), ("unit_id", 2**63), ("unit_id", -1),
        ("submitted_at", "0001-01-01T00:00:00Z"), ("submitted_at", "1999-12-31T23:59:59Z"), ("submitted_at", 0),
        ("submitted_at", 1700000000), ("submitted_at", "2999-01-01T00:00:00Z"), ("submitted_at", "2025-13-01T00:00"),
        ("submitted_at", "yesterday"), ("started_at", "0001-01-01T00:00:00Z"), ("started_at", "1970-01-01T00:00:00Z"),
        ("started_at", 86400), ("channel", "pigeon"), ("language", "de"), ("touchpoint", "t" * 61),
        ("client_key", "k" * 101), ("answers", {f"q{i}": 1 for i in range(501)}), ("answers", {"k" * 101: 1}),
    ],
)  # fmt: skip
def test_response_fields_out_of_range_are_refused(world, field, value):
    response = _post(api_client(world.analyst), _payload(world, **{field: value}))
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_input"
    assert any(key.startswith(f"body.{field}") for key in response.json()["errors"]), response.json()
    assert Response.objects.count() == 0


def test_submitted_at_bounds_are_documented_and_the_edges_pass(world):
    schema = api_client(world.analyst).get("/api/openapi.json").json()
    submitted = schema["components"]["schemas"]["ResponseIn"]["properties"]["submitted_at"]["anyOf"][0]
    assert submitted["pattern"].startswith("^20") and "2000-01-01" in submitted["description"]
    client = api_client(world.analyst)
    first = _post(client, _payload(world, submitted_at="2000-01-01T00:00:00Z", client_key="a"))
    assert first.status_code == 201, first.content
    soon = (timezone.now() + timezone.timedelta(minutes=2)).isoformat()
    assert _post(client, _payload(world, submitted_at=soon, client_key="b")).status_code == 201
