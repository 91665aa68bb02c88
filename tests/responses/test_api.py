"""The responses' API router: submitting one response and listing them (batches: test_response_batch.py)."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from heed.accounts.services import organisation_create
from heed.responses.models import Answer, Response
from heed.responses.services import Submission, response_submit
from heed.surveys.services import survey_close, survey_create, survey_publish
from tests.api.test_api import _answers, _payload, _post
from tests.conftest import api_client

# --- submitting responses ----------------------------------------------------------------------


def test_submit_creates_a_response_with_its_answers(world):
    response = _post(api_client(world.analyst), _payload(world, client_key="k-1", touchpoint="checkout"))
    assert response.status_code == 201
    body = response.json()
    stored = Response.objects.get(pk=body["id"])
    assert stored.unit_id == world.store_a.id
    assert stored.submitted_by_id == world.analyst.id
    assert body["survey_id"] == world.survey.id
    assert body["version"] == 1
    assert body["channel"] == "api"
    assert body["language"] == "en"
    assert body["touchpoint"] == "checkout"
    assert body["nps_score"] == 9
    assert body["csat_score"] == 4
    answers = {a["question_key"]: a["value"] for a in body["answers"]}
    assert answers["nps"] == 9
    assert answers["why_not_buy"] == ["price", "queue"]
    assert answers["comment"] == "Great <b>staff</b> & service"


def test_submit_defaults_language_to_the_surveys_default(world):
    payload = _payload(world)
    del payload["language"]
    response = _post(api_client(world.analyst), payload)
    assert response.status_code == 201
    assert response.json()["language"] == "en"


def test_resubmitting_the_same_client_key_is_idempotent(world):
    client = api_client(world.analyst)
    first = _post(client, _payload(world, client_key="tablet-7-0001"))
    second = _post(client, _payload(world, client_key="tablet-7-0001"))
    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json()["id"] == first.json()["id"]
    assert Response.objects.filter(client_key="tablet-7-0001").count() == 1
    assert Response.objects.count() == 1


def test_submissions_without_client_key_are_not_deduplicated(world):
    client = api_client(world.analyst)
    assert _post(client, _payload(world)).status_code == 201
    assert _post(client, _payload(world)).status_code == 201
    assert Response.objects.count() == 2


def test_duration_comes_from_started_and_submitted_at(world):
    payload = _payload(world, started_at="2025-06-10T10:00:00Z", submitted_at="2025-06-10T10:03:30Z")
    response = _post(api_client(world.analyst), payload)
    assert response.status_code == 201
    assert response.json()["duration_seconds"] == 210


def test_nps_out_of_range_is_422_with_a_message_and_nothing_stored(world):
    response = _post(api_client(world.analyst), _payload(world, answers=_answers(nps=11)))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_answers"
    assert body["errors"] == {"nps": "Please enter a value between 0 and 10."}
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0


def test_unknown_question_and_missing_required_are_all_reported(world):
    answers = _answers(colour="blue")
    del answers["store_experience"]
    response = _post(api_client(world.analyst), _payload(world, answers=answers))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors == {
        "colour": "This question does not exist in the survey.",
        "store_experience": "This question needs an answer.",
    }
    assert Response.objects.count() == 0


def test_conditionally_required_answer_is_checked(world):
    answers = _answers(did_buy="no")
    del answers["why_not_buy"]
    response = _post(api_client(world.analyst), _payload(world, answers=answers))
    assert response.status_code == 422
    assert response.json()["errors"] == {"why_not_buy": "This question needs an answer."}


def test_invalid_choice_and_non_numeric_scale_are_422(world):
    answers = _answers(gender="robot", staff_behaviour="lots")
    response = _post(api_client(world.analyst), _payload(world, answers=answers))
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "gender": "Please choose one of the options.",
        "staff_behaviour": "Please enter a number.",
    }


def test_a_number_too_large_for_a_float_is_422_not_a_server_error(world):
    """A JSON integer of 400 digits parses in Python but overflows a float: the answer is refused in plain words."""
    body = json.dumps(_payload(world)).replace('"nps": 9', '"nps": 1' + "0" * 400)
    assert '"nps": 1000' in body
    response = api_client(world.analyst).post("/api/responses", data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == {"nps": "Please enter a number."}
    assert Response.objects.count() == 0


def test_malformed_json_is_400_with_a_message(world):
    response = api_client(world.analyst).post("/api/responses", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert "parse" in response.json()["detail"].lower()
    assert Response.objects.count() == 0


def test_json_that_is_not_an_object_is_422(world):
    response = api_client(world.analyst).post("/api/responses", data="[1, 2]", content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"]


def test_survey_id_of_wrong_type_is_422_naming_the_field(world):
    response = _post(api_client(world.analyst), _payload(world, survey_id="abc"))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert "body.survey_id" in response.json()["errors"]


def test_answers_of_wrong_type_is_422(world):
    response = _post(api_client(world.analyst), _payload(world, answers=["nps", 9]))
    assert response.status_code == 422
    assert "body.answers" in response.json()["errors"]


def test_missing_survey_id_is_422(world):
    payload = _payload(world)
    del payload["survey_id"]
    response = _post(api_client(world.analyst), payload)
    assert response.status_code == 422
    assert response.json()["errors"]["body.survey_id"] == "Field required"


def test_unknown_survey_is_404(world):
    response = _post(api_client(world.analyst), _payload(world, survey_id=987654))
    assert response.status_code == 404
    assert response.json()["detail"] == "No such survey."
    assert Response.objects.count() == 0


def test_huge_survey_id_is_a_client_error(world):
    response = _post(api_client(world.analyst), _payload(world, survey_id=10**20))
    assert 400 <= response.status_code < 500


def test_unsupported_language_is_422_listing_the_languages(world):
    response = _post(api_client(world.analyst), _payload(world, language="de"))
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert "'en'" in response.json()["errors"]["body.language"]
    assert Response.objects.count() == 0


def test_language_the_survey_does_not_offer_is_400(world):
    response = _post(api_client(world.analyst), _payload(world, language="ru"))
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_language"
    assert Response.objects.count() == 0


def test_unknown_channel_is_422(world):
    response = _post(api_client(world.analyst), _payload(world, channel="pigeon"))
    assert response.status_code == 422
    assert "'qr'" in response.json()["errors"]["body.channel"]
    assert Response.objects.count() == 0


def test_unit_outside_a_unit_managers_scope_is_404(world):
    response = _post(api_client(world.manager_a), _payload(world, unit_id=world.store_b.id))
    assert response.status_code == 404
    assert "unit" in response.json()["detail"]
    assert Response.objects.count() == 0


def test_unit_manager_may_submit_for_their_own_unit(world):
    response = _post(api_client(world.manager_a), _payload(world, unit_id=world.store_a.id))
    assert response.status_code == 201
    assert response.json()["unit_id"] == world.store_a.id


def test_interviewer_without_unit_is_400(world):
    payload = _payload(world, channel="intercept")
    del payload["unit_id"]
    response = _post(api_client(world.interviewer), payload)
    assert response.status_code == 400
    assert response.json()["code"] == "unit_required"
    assert Response.objects.count() == 0


def test_analyst_may_submit_without_unit(world):
    payload = _payload(world)
    del payload["unit_id"]
    response = _post(api_client(world.analyst), payload)
    assert response.status_code == 201
    assert response.json()["unit_id"] is None


def test_submitted_at_in_the_future_is_422(world):
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = _post(api_client(world.analyst), _payload(world, submitted_at=future))
    assert response.status_code == 422
    assert "future" in response.json()["errors"]["body.submitted_at"]
    assert Response.objects.count() == 0


def test_submitted_at_without_timezone_is_read_in_the_server_time_zone(world):
    response = _post(
        api_client(world.analyst), _payload(world, submitted_at="2025-06-10T10:00:00", started_at="2025-06-10T09:58:00")
    )
    assert response.status_code == 201
    stored = Response.objects.get(pk=response.json()["id"])
    assert stored.submitted_at == timezone.make_aware(dt.datetime.fromisoformat("2025-06-10T10:00:00"))
    assert stored.duration_seconds == 120


def test_closed_survey_is_400(world):
    survey_close(survey=world.survey)
    response = _post(api_client(world.analyst), _payload(world))
    assert response.status_code == 400
    assert response.json()["code"] == "survey_closed"
    assert Response.objects.count() == 0


def test_resubmitting_to_a_closed_survey_returns_the_stored_response(world):
    client = api_client(world.analyst)
    first = _post(client, _payload(world, client_key="late-sync"))
    survey_close(survey=world.survey)
    again = _post(client, _payload(world, client_key="late-sync"))
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]


def test_survey_of_another_organisation_cannot_receive_responses(world):
    other = organisation_create(name="Other", slug="other")
    other_survey = survey_create(organisation=other, title="Theirs", created_by=None, template_key="relationship_nps")
    survey_publish(survey=other_survey, actor=None)
    response = _post(api_client(world.analyst), {"survey_id": other_survey.id, "answers": {"nps": 9}})
    assert response.status_code == 404
    assert Response.objects.count() == 0


def test_client_key_of_a_response_outside_the_callers_scope_is_409_without_leaking_it(world):
    assert (
        _post(api_client(world.analyst), _payload(world, unit_id=world.store_b.id, client_key="shared")).status_code
        == 201
    )
    response = _post(api_client(world.manager_a), _payload(world, unit_id=world.store_a.id, client_key="shared"))
    assert response.status_code == 409
    assert response.json()["code"] == "client_key_used"
    assert "id" not in response.json()
    assert Response.objects.count() == 1


# --- listing responses -------------------------------------------------------------------------


def test_list_paginates_with_count(scored):
    client = api_client(scored.analyst)
    first = client.get("/api/responses", {"limit": 4, "offset": 0}).json()
    last = client.get("/api/responses", {"limit": 4, "offset": 8}).json()
    assert first["count"] == 10 and last["count"] == 10
    assert len(first["items"]) == 4
    assert len(last["items"]) == 2
    everything = client.get("/api/responses", {"limit": 100}).json()["items"]
    ids = [r["id"] for r in everything]
    assert len(set(ids)) == 10
    assert [r["id"] for r in first["items"]] == ids[:4]
    assert [r["id"] for r in last["items"]] == ids[8:]


def test_list_is_newest_first(scored):
    items = api_client(scored.analyst).get("/api/responses", {"limit": 100}).json()["items"]
    stamps = [r["submitted_at"] for r in items]
    assert items[0]["submitted_at"].startswith("2025-03-31")
    assert items[-1]["submitted_at"].startswith("2025-01-05")
    assert stamps == sorted(stamps, reverse=True)
    assert len(stamps) == 10


def test_list_includes_answers(scored):
    items = api_client(scored.analyst).get("/api/responses").json()["items"]
    newest = items[0]
    answers = {a["question_key"]: a for a in newest["answers"]}
    assert answers["nps"]["value"] == 0
    assert answers["nps"]["question_type"] == "nps"
    assert answers["store_experience"]["value"] == 3
    assert answers["comment"]["value"] == "fine"
    assert newest["nps_score"] == 0


def test_list_filters_by_unit(scored):
    body = api_client(scored.analyst).get("/api/responses", {"unit_id": scored.store_b.id}).json()
    assert body["count"] == 5
    assert {r["unit_id"] for r in body["items"]} == {scored.store_b.id}


def test_unit_filter_on_a_region_includes_its_stores(scored):
    body = api_client(scored.analyst).get("/api/responses", {"unit_id": scored.region.id}).json()
    assert body["count"] == 10


def test_list_filters_by_channel_and_language(scored):
    client = api_client(scored.analyst)
    assert client.get("/api/responses", {"channel": "qr"}).json()["count"] == 3
    assert client.get("/api/responses", {"language": "hr"}).json()["count"] == 4
    both = client.get("/api/responses", {"channel": "web", "language": "en"}).json()
    assert both["count"] == 3
    assert {(r["channel"], r["language"]) for r in both["items"]} == {("web", "en")}


def test_list_filters_by_date_range_inclusive(scored):
    body = (
        api_client(scored.analyst)
        .get("/api/responses", {"date_from": "2025-02-01", "date_to": "2025-02-28", "limit": 100})
        .json()
    )
    assert body["count"] == 4
    assert sorted(r["nps_score"] for r in body["items"]) == [3, 6, 7, 9]


def test_list_filters_by_survey(scored):
    other = survey_create(organisation=scored.org, title="Other", created_by=None, template_key="relationship_nps")
    survey_publish(survey=other, actor=None)
    response_submit(submission=Submission(survey=other, language="en"), raw_answers={"nps": 10})
    client = api_client(scored.analyst)
    assert client.get("/api/responses").json()["count"] == 11
    assert client.get("/api/responses", {"survey_id": scored.survey.id}).json()["count"] == 10
    only_other = client.get("/api/responses", {"survey_id": other.id}).json()
    assert only_other["count"] == 1
    assert only_other["items"][0]["survey_id"] == other.id


def test_list_with_an_invalid_date_is_422(scored):
    response = api_client(scored.analyst).get("/api/responses", {"date_from": "2025-13-01"})
    assert response.status_code == 422
