"""A JSON body that is not an object (a string, number, list or null) is 422 on every operation that takes a body.

ninja reads a schema from any value's attributes: without this rule ``"AAA"`` created a survey titled "Aaa"
(``str.title``) and an all-optional body such as a link's accepted anything."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.conftest import api_client


def _operations_with_a_body() -> list[tuple[str, str]]:
    paths = Client().get("/api/openapi.json").json()["paths"]
    return [(method, path) for path, methods in paths.items() for method, operation in methods.items()
            if "requestBody" in operation]  # fmt: skip


@pytest.mark.django_db
def test_every_body_is_checked():
    assert len(_operations_with_a_body()) >= 12


@pytest.mark.parametrize("body", ['"AAA"', "[1]", "1", "null"])
def test_a_body_that_is_not_an_object_is_422(world, body):
    client = api_client(world.analyst)
    for method, path in _operations_with_a_body():
        url = re.sub(r"\{[a-z_]+\}", "1", path)
        reply = getattr(client, method)(url, data=body, content_type="application/json")
        assert reply.status_code == 422, (method, path, reply.status_code, reply.content[:200])
        assert reply.json()["code"] == "invalid_input"
