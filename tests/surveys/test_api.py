"""The surveys' API router: list and read surveys (publishing: test_publish_checks.py)."""

from __future__ import annotations

from heed.accounts.services import organisation_create
from heed.surveys.services import question_add, survey_create, survey_publish
from tests.conftest import api_client

# --- surveys -----------------------------------------------------------------------------------


def test_surveys_list(world):
    response = api_client(world.analyst).get("/api/surveys")
    assert response.status_code == 200
    body = response.json()
    assert [s["id"] for s in body] == [world.survey.id]
    assert body[0] == {
        "id": world.survey.id,
        "title": "Store visit",
        "status": "published",
        "default_language": "en",
        "languages": ["en", "it", "hr"],
        "public_titles": {},
        "latest_version": 1,
    }


def test_survey_detail_has_the_latest_versions_definition(world):
    question_add(
        survey=world.survey,
        data={"key": "extra", "type": "text", "texts": {"en": "Anything else?", "it": "Altro?", "hr": "Još nešto?"}},
    )
    survey_publish(survey=world.survey, actor=world.analyst)
    response = api_client(world.analyst).get(f"/api/surveys/{world.survey.id}")
    assert response.status_code == 200
    body = response.json()
    assert body["latest_version"] == 2
    keys = [q["key"] for q in body["definition"]["questions"]]
    assert keys[0] == "store_experience"
    assert "nps" in keys and keys[-1] == "extra"


def test_survey_of_another_organisation_is_404(world):
    other = organisation_create(name="Other", slug="other")
    other_survey = survey_create(organisation=other, title="Theirs", created_by=None, template_key="relationship_nps")
    response = api_client(world.analyst).get(f"/api/surveys/{other_survey.id}")
    assert response.status_code == 404
    assert response.json()["detail"] == "No such survey."


def test_unknown_survey_detail_is_404(world):
    assert api_client(world.analyst).get("/api/surveys/999999").status_code == 404
