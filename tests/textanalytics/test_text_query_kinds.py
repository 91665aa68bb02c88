"""Issue 8, point 5: themes and staff mentions are query kinds of the one analytics runner, with typed outputs.

A stored ThemesQuery or StaffMentionsQuery (JSON) runs again to the API's own answer, the runner scopes it (a
unit manager sees only their units), and the OpenAPI describes both answers field by field (no bare object)."""

from __future__ import annotations

import json

import pytest

from heed.analytics.queries import query_from_json, query_to_json, run_query
from heed.api.api import api
from heed.core.errors import NotFoundError, PermissionDeniedError
from heed.responses.selectors import ResponseFilters
from heed.responses.services import Submission, response_submit
from heed.textanalytics.queries import StaffMentionsOut, StaffMentionsQuery, ThemesOut, ThemesQuery
from heed.textanalytics.services import annotations_refresh, staff_add
from tests.conftest import VALID_INTERCEPT, api_client


@pytest.fixture
def commented(world):
    staff_add(unit=world.store_a, first_name="Marko")
    staff_add(unit=world.store_b, first_name="Ivana")
    rows = [(world.store_a, "Marko was rude and the queue was long.", 2), (world.store_a, "Great prices.", 10),
            (world.store_b, "Ivana was very kind, the staff were helpful.", 9)]  # fmt: skip
    for unit, text, nps in rows:
        response_submit(submission=Submission(survey=world.survey, language="en", unit=unit),
                        raw_answers=VALID_INTERCEPT | {"nps": nps, "comment": text})  # fmt: skip
    annotations_refresh(organisation=world.org)


def test_stored_text_queries_run_again_to_the_apis_answers(world, commented):
    client = api_client(world.analyst)
    for query, path in ((ThemesQuery(filters=ResponseFilters(survey_id=world.survey.id)), "/api/themes"),
                        (StaffMentionsQuery(), "/api/staff-mentions")):  # fmt: skip
        loaded = query_from_json(json.loads(json.dumps(query_to_json(query))))
        assert loaded == query and type(loaded) is type(query)
        result = run_query(loaded, user=world.analyst).result
        params = {"survey_id": world.survey.id} if path == "/api/themes" else {}
        api_answer = client.get(path, params).json()
        if isinstance(result, ThemesOut):
            assert result.model_dump(mode="json") == api_answer
            assert result.comments == 3
        else:
            assert isinstance(result, StaffMentionsOut)
            assert [m.model_dump(mode="json") for m in result.mentions] == api_answer
            assert {m.name: (m.positive, m.negative) for m in result.mentions} == {"Ivana": (1, 0), "Marko": (0, 1)}


def test_the_runner_scopes_text_queries(world, commented):
    mentions = run_query(StaffMentionsQuery(), user=world.manager_a).result
    assert isinstance(mentions, StaffMentionsOut)
    assert [m.name for m in mentions.mentions] == ["Marko"]  # store B's Ivana is outside Mario's units
    with pytest.raises(NotFoundError):
        run_query(ThemesQuery(filters=ResponseFilters(unit_id=world.store_b.id)), user=world.manager_a)
    with pytest.raises(PermissionDeniedError):
        run_query(ThemesQuery(), user=world.interviewer)


def test_the_openapi_types_the_themes_and_staff_mention_answers():
    spec = api.get_openapi_schema()
    themes = spec["paths"]["/api/themes"]["get"]["responses"][200]["content"]["application/json"]["schema"]
    staff = spec["paths"]["/api/staff-mentions"]["get"]["responses"][200]["content"]["application/json"]["schema"]
    schemas = spec["components"]["schemas"]
    assert themes == {"$ref": "#/components/schemas/ThemesOut"}
    assert staff["type"] == "array" and staff["items"] == {"$ref": "#/components/schemas/StaffMentionOut"}
    row = schemas["ThemeRowOut"]["properties"]
    assert {"key", "name", "comments", "share", "nps", "among_detractors"} <= set(row)
    assert set(schemas["StaffMentionOut"]["properties"]) == {"staff_id", "name", "unit", "mentions", "positive",
                                                             "negative"}  # fmt: skip
