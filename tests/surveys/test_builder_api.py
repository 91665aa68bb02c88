"""The builder over the API: the same services as the builder page, so a survey made through the API publishes
exactly as one made in the page, and the same rules refuse the same drafts."""

from __future__ import annotations

import json

from heed.distribution.models import SurveyLink
from heed.surveys.models import Question, Survey
from tests.conftest import api_client


def _send(client, method: str, url: str, payload: dict):
    return getattr(client, method)(url, data=json.dumps(payload), content_type="application/json")


NPS = {
    "key": "recommend",
    "type": "nps",
    "required": True,
    "texts": {"en": "Recommend us?", "it": "Ci consiglieresti?"},
}
WHY = {"key": "why", "type": "text", "texts": {"en": "Why?", "it": "Perché?"},
       "show_if": {"question": "recommend", "op": "lte", "value": 6}}  # fmt: skip


def test_a_survey_is_built_and_published_over_the_api(world):
    client = api_client(world.analyst)
    made = _send(client, "post", "/api/surveys", {"title": "Checkout pulse", "languages": ["en", "it"],
                                                   "default_language": "en"})  # fmt: skip
    assert made.status_code == 201
    draft = made.json()
    assert draft["status"] == "draft" and draft["questions"] == [] and draft["latest_version"] is None
    assert draft["problems"]["blocking"]  # an empty draft cannot be published
    survey_id = draft["id"]
    added = _send(client, "post", f"/api/surveys/{survey_id}/questions", NPS)
    assert added.status_code == 201 and added.json()["key"] == "recommend" and added.json()["min_value"] == 0
    why = _send(client, "post", f"/api/surveys/{survey_id}/questions", WHY).json()
    assert why["show_if"] == {"question": "recommend", "op": "lte", "value": 6}
    clash = _send(client, "post", f"/api/surveys/{survey_id}/questions", NPS)
    assert clash.status_code == 409 and clash.json()["code"] == "question_key_used"
    moved = _send(client, "post", f"/api/surveys/{survey_id}/questions/{why['id']}/move", {"offset": -1}).json()
    assert [q["key"] for q in moved["questions"]] == ["why", "recommend"]
    assert moved["problems"]["blocking"]  # skip logic now looks at a later question
    _send(client, "post", f"/api/surveys/{survey_id}/questions/{why['id']}/move", {"offset": 1})
    assert client.get(f"/api/surveys/{survey_id}/draft").json()["problems"]["blocking"] == []

    published = client.post(f"/api/surveys/{survey_id}/publish")
    assert published.status_code == 201 and published.json()["version"] == 1
    assert SurveyLink.objects.filter(survey_id=survey_id).count() == 1
    detail = client.get(f"/api/surveys/{survey_id}").json()
    assert [q["key"] for q in detail["definition"]["questions"]] == ["recommend", "why"]


def test_the_builder_rules_refuse_bad_drafts_with_their_codes(world):
    client = api_client(world.analyst)
    survey_id = _send(client, "post", "/api/surveys", {"title": "T", "template": "store_intercept"}).json()["id"]
    assert Question.objects.filter(survey_id=survey_id).count() > 3  # the template's questions
    own = _send(client, "post", f"/api/surveys/{survey_id}/questions",
                {**WHY, "key": "loop", "show_if": {"question": "loop", "op": "answered"}})  # fmt: skip
    assert own.status_code == 400 and own.json()["code"] == "invalid_skip_logic"
    scale = _send(
        client,
        "post",
        f"/api/surveys/{survey_id}/questions",
        {"key": "stars", "type": "rating", "texts": {"en": "Stars?"}, "min_value": 5, "max_value": 1},
    )
    assert scale.status_code == 400 and scale.json()["code"] == "invalid_question"
    bad_key = _send(client, "post", f"/api/surveys/{survey_id}/questions", {**NPS, "key": "Not a key"})
    assert bad_key.status_code == 400
    languages = _send(client, "put", f"/api/surveys/{survey_id}/settings",
                      {"title": "T2", "languages": ["it"], "default_language": "en"})  # fmt: skip
    assert languages.status_code == 400
    assert Survey.objects.get(pk=survey_id).title == "T"


def test_replacing_and_deleting_follow_the_dependants_rule(world):
    client = api_client(world.analyst)
    survey_id = _send(client, "post", "/api/surveys", {"title": "T", "languages": ["en", "it"],
                                                        "default_language": "en"}).json()["id"]  # fmt: skip
    first = _send(client, "post", f"/api/surveys/{survey_id}/questions", NPS).json()
    _send(client, "post", f"/api/surveys/{survey_id}/questions", WHY)
    renamed = _send(client, "put", f"/api/surveys/{survey_id}/questions/{first['id']}", {**NPS, "key": "nps2"})
    assert renamed.status_code == 400  # "why" depends on it
    assert client.delete(f"/api/surveys/{survey_id}/questions/{first['id']}").status_code == 400
    required = _send(client, "put", f"/api/surveys/{survey_id}/questions/{first['id']}", {**NPS, "required": False})
    assert required.status_code == 200 and required.json()["required"] is False
    why = Question.objects.get(survey_id=survey_id, key="why")
    assert client.delete(f"/api/surveys/{survey_id}/questions/{why.id}").status_code == 204
    assert client.delete(f"/api/surveys/{survey_id}/questions/{why.id}").status_code == 404


def test_only_designers_of_the_organisation_build(world):
    survey = world.survey
    question = survey.questions.first()
    for member in (world.manager_a, world.interviewer):
        client = api_client(member)
        assert _send(client, "post", "/api/surveys", {"title": "X"}).status_code == 403
        assert _send(client, "post", f"/api/surveys/{survey.id}/questions", NPS).status_code == 403
        assert client.delete(f"/api/surveys/{survey.id}/questions/{question.id}").status_code == 403
    other_question = _send(api_client(world.analyst), "post", "/api/surveys", {"title": "Mine"}).json()
    assert client.get(f"/api/surveys/{other_question['id']}/draft").status_code == 403
    assert not Survey.objects.filter(title="X").exists() and survey.questions.filter(pk=question.pk).exists()
