"""Each operation's operationId is its handler's name: unique, and unchanged when the handler moves to another
app's router (client generators name their methods after it)."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_operation_ids_are_unique_handler_names():
    paths = Client().get("/api/openapi.json").json()["paths"]
    ids = [operation["operationId"] for methods in paths.values() for operation in methods.values()]
    assert len(ids) == len(set(ids))
    assert paths["/api/surveys"]["get"]["operationId"] == "surveys_list"
    assert paths["/api/responses"]["post"]["operationId"] == "responses_submit"
    assert paths["/api/surveys/{survey_id}/publish"]["post"]["operationId"] == "survey_publish_endpoint"
