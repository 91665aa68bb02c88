"""The distribution API router: a survey's links, listed and created through the links page's service."""

from __future__ import annotations

import json

from django.conf import settings

from heed.distribution.models import SurveyLink
from tests.conftest import api_client


def _create(client, survey_id: int, payload: dict):
    return client.post(f"/api/surveys/{survey_id}/links", data=json.dumps(payload), content_type="application/json")


def test_links_are_listed_and_created_as_on_the_page(world):
    client = api_client(world.analyst)
    listed = client.get(f"/api/surveys/{world.survey.id}/links").json()
    assert [link["id"] for link in listed] == [world.link_a.id, world.link_b.id]
    assert listed[0]["url"] == f"{settings.BASE_URL}/s/{world.link_a.token}/" and listed[0]["channel"] == "qr"
    made = _create(client, world.survey.id, {"channel": "email", "unit_id": world.store_b.id, "touchpoint": "x"})
    assert made.status_code == 201
    link = SurveyLink.objects.get(pk=made.json()["id"])
    assert (link.channel, link.unit_id, link.touchpoint) == ("email", world.store_b.id, "x")
    again = _create(client, world.survey.id, {"channel": "email", "unit_id": world.store_b.id, "touchpoint": "X"})
    assert again.status_code == 409 and again.json()["code"] == "link_exists"


def test_closed_units_foreign_units_and_other_roles_are_refused(world):
    client = api_client(world.analyst)
    world.store_b.closed_at = world.survey.created_at
    world.store_b.save(update_fields=["closed_at"])
    assert _create(client, world.survey.id, {"unit_id": world.store_b.id}).json()["code"] == "unit_closed"
    assert _create(client, world.survey.id, {"unit_id": 999_999}).status_code == 404
    assert _create(client, 999_999, {}).status_code == 404
    assert api_client(world.manager_a).get(f"/api/surveys/{world.survey.id}/links").status_code == 403
    assert SurveyLink.objects.filter(survey=world.survey).count() == 2
