"""Filter values the caller cannot use are refused, never answered with zeros or a silent pick.

- a ``survey_id`` filter naming no survey of the caller's organisation (unknown, or another
  organisation's) is 404 on every endpoint that filters by survey, like ``/api/surveys/{id}/drivers``;
- a ``unit_id`` filter naming a unit the caller cannot see (a unit manager's other stores, another
  organisation's unit) is 404 on every read endpoint, like ``POST /api/responses`` with that unit;
- a single-valued parameter given twice (``survey_id=1&survey_id=2``, where the last used to win) is 422
  ``invalid_input`` naming it; the check sits at the API's edge, so it holds for every parameter.
"""

from __future__ import annotations

import pytest

from heed.accounts.models import Role
from heed.accounts.services import organisation_create, unit_create, user_create
from heed.responses.services import Submission, response_submit
from heed.surveys.services import survey_create, survey_publish
from tests.conftest import PASSWORD, VALID_INTERCEPT, api_client

FILTERED_BY_SURVEY = ["/api/responses", "/api/metrics", "/api/themes", "/api/staff-mentions"]
SURVEY_PATHS = ["/api/surveys/{id}/drivers", "/api/surveys/{id}/engagement"]


@pytest.fixture
def data(world):
    for unit in (world.store_a, world.store_b):
        submission = Submission(survey=world.survey, language="en", unit=unit)
        response_submit(submission=submission, raw_answers=VALID_INTERCEPT)
    org = organisation_create(name="Globex", slug="globex", languages=["en"], default_language="en")
    world.other_unit = unit_create(organisation=org, kind="store", name="Springfield", code="G1")
    other_analyst = user_create(organisation=org, username="hank", password=PASSWORD, role=Role.ANALYST)
    world.other_survey = survey_create(organisation=org, title="Globex NPS", created_by=other_analyst,
                                       template_key="relationship_nps")  # fmt: skip
    survey_publish(survey=world.other_survey, actor=other_analyst)
    return world


def _read_endpoints(world) -> list[str]:
    return FILTERED_BY_SURVEY + [path.format(id=world.survey.id) for path in SURVEY_PATHS]


def _assert_not_found(response, where: str) -> None:
    assert response.status_code == 404, (where, response.status_code, response.content[:300])
    assert response.json()["code"] == "not_found" and response.json()["detail"]


@pytest.mark.parametrize("which", ["unknown", "other_organisation"])
def test_a_survey_filter_of_no_survey_of_the_organisation_is_404(data, which):
    survey_id = 99999 if which == "unknown" else data.other_survey.id
    client = api_client(data.analyst)
    for path in FILTERED_BY_SURVEY:
        _assert_not_found(client.get(path, {"survey_id": survey_id}), path)
    for path in SURVEY_PATHS:
        _assert_not_found(client.get(path.format(id=survey_id)), path)


def test_the_organisations_own_survey_filter_still_answers(data):
    client = api_client(data.analyst)
    for path in FILTERED_BY_SURVEY:
        assert client.get(path, {"survey_id": data.survey.id}).status_code == 200, path
    assert client.get("/api/metrics", {"survey_id": data.survey.id}).json()["summary"]["responses"] == 2


def test_a_unit_outside_the_managers_scope_is_404_on_every_read_like_on_post(data):
    client = api_client(data.manager_a)
    for path in _read_endpoints(data):
        _assert_not_found(client.get(path, {"unit_id": data.store_b.id}), path)
        _assert_not_found(client.get(path, {"unit_id": data.region.id}), path)  # above their store: not theirs
    own = client.get("/api/metrics", {"unit_id": data.store_a.id})
    assert own.status_code == 200 and own.json()["summary"]["responses"] == 1


def test_another_organisations_unit_is_404_for_an_analyst(data):
    client = api_client(data.analyst)
    for path in _read_endpoints(data):
        _assert_not_found(client.get(path, {"unit_id": data.other_unit.id}), path)
    assert client.get("/api/responses", {"unit_id": data.store_b.id}).json()["count"] == 1


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/metrics", "survey_id={survey}&survey_id={survey}"),  # even the same value twice
        ("/api/metrics", "survey_id={survey}&survey_id=99999"),
        ("/api/metrics", "group_by=unit&group_by=channel"),
        ("/api/responses", "limit=5&limit=500"),
        ("/api/responses", "unit_id={unit}&unit_id={unit}"),
        ("/api/themes", "date_from=2024-01-01&date_from=2025-01-01"),
        ("/api/staff-mentions", "channel=web&channel=qr"),
        ("/api/surveys/{survey}/drivers", "outcome=nps&outcome=store_experience"),
        ("/api/surveys/{survey}/engagement", "version=1&version=1"),
    ],
)
def test_a_single_valued_parameter_given_twice_is_422_naming_it(data, path, query):
    name = query.split("=", 1)[0]
    url = path.format(survey=data.survey.id) + "?" + query.format(survey=data.survey.id, unit=data.store_a.id)
    response = api_client(data.analyst).get(url)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["errors"] == {f"query.{name}": "given 2 times; this parameter takes one value"}
    assert f"query.{name}" in body["detail"]


def test_the_openapi_documents_the_404_and_the_single_value_rule(data):
    schema = api_client(data.analyst).get("/api/openapi.json").json()
    for path in FILTERED_BY_SURVEY + ["/api/surveys/{survey_id}/drivers", "/api/surveys/{survey_id}/engagement"]:
        assert "404" in schema["paths"][path]["get"]["responses"], path
    assert "given more than once" in schema["info"]["description"]
