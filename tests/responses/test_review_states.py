"""Review states of responses (research b.4.15, issue 10 point 4): received on arrival, set by reviewers with a
history, edits that keep the previous version, the list filter, the API, the staff page and the sync to devices."""

from __future__ import annotations

import json
import uuid

import pytest

from heed.core.errors import ApplicationError, PermissionDeniedError
from heed.governance.models import AuditEvent
from heed.responses.models import Answer, Response, ResponseReview
from heed.responses.services import Submission, response_edit, response_review_set, response_submit
from heed.surveys.answering import SubmissionError
from tests.conftest import VALID_INTERCEPT, api_client, login
from tests.fieldwork.helpers import interview, sync


def _response(world, unit=None, **answers) -> Response:
    response, _created = response_submit(
        submission=Submission(survey=world.survey, language="en", unit=unit or world.store_a),
        raw_answers=VALID_INTERCEPT | answers,
    )
    return Response.objects.get(pk=response.pk)


def _review(client, response_id: int, **body):
    return client.post(f"/api/responses/{response_id}/review", data=json.dumps(body), content_type="application/json")


def _edit(client, response_id: int, **body):
    return client.put(f"/api/responses/{response_id}/answers", data=json.dumps(body), content_type="application/json")


def test_a_has_issues_review_reaches_the_interviewer_at_the_next_sync(world):
    """b.4.15: new -> received; the supervisor sets has_issues "Q3 inconsistent"; the next sync lists it."""
    device = api_client(world.interviewer)
    key, other = str(uuid.uuid4()), str(uuid.uuid4())
    first = sync(device, [interview(world, key), interview(world, other)]).json()
    assert first["reviews"] == []
    response_id = first["items"][0]["response_id"]
    assert Response.objects.get(pk=response_id).review_state == "received"
    reviewed = _review(api_client(world.manager_a), response_id, state="has_issues", comment="Q3 inconsistent")
    assert reviewed.status_code == 200, reviewed.content
    assert reviewed.json()["from_state"] == "received" and reviewed.json()["actor"] == "mario"
    body = sync(device, []).json()
    assert len(body["reviews"]) == 1  # the other interview is still received: not listed
    (review,) = body["reviews"]
    assert (review["client_key"], review["response_id"], review["state"], review["comment"]) == (
        key, response_id, "has_issues", "Q3 inconsistent")  # fmt: skip
    assert review["reviewed_at"]
    response_review_set(actor=world.analyst, response=Response.objects.get(pk=response_id), state="rejected",
                        comment="fake interview")  # fmt: skip
    (latest,) = sync(device, []).json()["reviews"]
    assert (latest["state"], latest["comment"]) == ("rejected", "fake interview")


def test_reviews_keep_a_history_and_an_audit_entry(world):
    response = _response(world)
    response_review_set(actor=world.manager_a, response=response, state="has_issues", comment="Q3 inconsistent")
    response_review_set(actor=world.analyst, response=response, state="approved", comment="checked by phone")
    rows = list(ResponseReview.objects.filter(response=response).values_list("actor_name", "from_state", "to_state",
                                                                             "comment"))  # fmt: skip
    assert rows == [("mario", "received", "has_issues", "Q3 inconsistent"),
                    ("ana", "has_issues", "approved", "checked by phone")]  # fmt: skip
    assert Response.objects.get(pk=response.pk).review_state == "approved"
    events = AuditEvent.objects.filter(action="response.reviewed", target_id=str(response.pk)).order_by("id")
    assert [(e.actor_name, e.after) for e in events] == [("mario", {"review_state": "has_issues"}),
                                                         ("ana", {"review_state": "approved"})]  # fmt: skip


def test_only_reviewers_of_the_response_unit_may_review(world):
    response = _response(world, unit=world.store_b)
    with pytest.raises(PermissionDeniedError):
        response_review_set(actor=world.interviewer, response=response, state="approved")
    with pytest.raises(PermissionDeniedError):  # mario manages store A only
        response_review_set(actor=world.manager_a, response=response, state="approved")
    assert _review(api_client(world.interviewer), response.pk, state="approved").status_code == 403
    assert _review(api_client(world.manager_a), response.pk, state="approved").status_code == 404
    assert _review(api_client(world.analyst), 999_999_999, state="approved").status_code == 404
    assert _edit(api_client(world.interviewer), response.pk, answers=VALID_INTERCEPT).status_code == 403
    assert not ResponseReview.objects.exists()
    assert _review(api_client(world.analyst), response.pk, state="approved").status_code == 200


def test_reviewers_set_only_their_states_with_a_bounded_comment(world):
    response = _response(world)
    client = api_client(world.analyst)
    for state in ("received", "edited", "deleted", ""):
        assert _review(client, response.pk, state=state).status_code == 422
    assert _review(client, response.pk, state="approved", comment="x" * 2001).status_code == 422
    assert client.post(f"/api/responses/{response.pk}/review", data="[1]",
                       content_type="application/json").status_code == 422  # fmt: skip
    with pytest.raises(ApplicationError) as refused:
        response_review_set(actor=world.analyst, response=response, state="edited")
    assert refused.value.code == "invalid_review_state"
    assert Response.objects.get(pk=response.pk).review_state == "received"


def test_an_edit_sets_edited_rederives_scores_and_keeps_the_previous_version(world):
    response = _response(world)
    assert (response.nps_score, response.gender) == (9, "female")
    client = api_client(world.manager_a)
    new = VALID_INTERCEPT | {"nps": 3, "gender": "male", "comment": "Slow <i>till</i>"}
    answer = _edit(client, response.pk, answers=new, comment="respondent corrected Q7")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["review_state"], body["nps_score"]) == ("edited", 3)
    stored = Response.objects.get(pk=response.pk)
    assert (stored.review_state, stored.nps_score, stored.gender) == ("edited", 3, "male")
    assert {a.question_key: a.value for a in Answer.objects.filter(response=stored)}["comment"] == "Slow <i>till</i>"
    (history,) = ResponseReview.objects.filter(response=stored)
    assert (history.from_state, history.to_state, history.comment) == ("received", "edited", "respondent corrected Q7")
    assert history.previous_answers["answers"]["nps"] == 9
    assert history.previous_answers["answers"]["comment"] == VALID_INTERCEPT["comment"]
    assert history.previous_answers["scores"]["nps_score"] == 9
    assert history.previous_answers["scores"]["gender"] == "female"
    assert AuditEvent.objects.filter(action="response.edited", target_id=str(stored.pk)).count() == 1
    # Edited again: the second version is kept too.
    response_edit(actor=world.analyst, response=stored, answers=new | {"nps": 10})
    versions = [r.previous_answers["answers"]["nps"] for r in ResponseReview.objects.filter(response=stored)]
    assert versions == [9, 3]
    assert Response.objects.get(pk=stored.pk).nps_score == 10


def test_an_invalid_or_unchanged_edit_changes_nothing(world):
    response = _response(world)
    client = api_client(world.analyst)
    bad = _edit(client, response.pk, answers=VALID_INTERCEPT | {"nps": 11, "nonsense": 1})
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid_answers" and set(bad.json()["errors"]) == {"nps", "nonsense"}
    missing = _edit(client, response.pk, answers={k: v for k, v in VALID_INTERCEPT.items() if k != "store_experience"})
    assert missing.status_code == 422 and "store_experience" in missing.json()["errors"]  # required, as at submission
    same = _edit(client, response.pk, answers=VALID_INTERCEPT)
    assert (same.status_code, same.json()["code"]) == (400, "answers_unchanged")
    assert _edit(client, response.pk, answers="nope").status_code == 422
    stored = Response.objects.get(pk=response.pk)
    assert (stored.review_state, stored.nps_score) == ("received", 9)
    assert not ResponseReview.objects.exists()
    with pytest.raises(SubmissionError):
        response_edit(actor=world.analyst, response=stored, answers={"nps": "ten"})


def test_the_list_filters_by_review_state_and_leaves_rejected_out_by_default(world):
    """b.4.15: the filter state=approved returns only approved responses."""
    responses = [_response(world, nps=n) for n in (10, 9, 8, 3)]
    response_review_set(actor=world.analyst, response=responses[0], state="approved")
    response_review_set(actor=world.analyst, response=responses[1], state="approved")
    response_review_set(actor=world.analyst, response=responses[2], state="rejected")
    client = api_client(world.analyst)

    def listed(query: str = "") -> list[tuple[int, str]]:
        items = client.get(f"/api/responses?{query}").json()["items"]
        return sorted((item["id"], item["review_state"]) for item in items)

    assert listed("review_state=approved") == [(responses[0].pk, "approved"), (responses[1].pk, "approved")]
    assert listed("review_state=rejected") == [(responses[2].pk, "rejected")]
    assert listed() == sorted([(responses[0].pk, "approved"), (responses[1].pk, "approved"),
                               (responses[3].pk, "received")])  # fmt: skip
    assert len(listed("review_state=all")) == 4
    assert client.get("/api/responses?review_state=approved,rejected").status_code == 422


def test_a_replay_of_a_rejected_interview_is_still_a_replay(world):
    device = api_client(world.interviewer)
    key = str(uuid.uuid4())
    response_id = sync(device, [interview(world, key)]).json()["items"][0]["response_id"]
    response_review_set(actor=world.analyst, response=Response.objects.get(pk=response_id), state="rejected")
    again = sync(device, [interview(world, key)]).json()["items"][0]
    assert (again["status"], again["response_id"]) == ("replayed", response_id)
    other = sync(device, [interview(world, key, answers=VALID_INTERCEPT | {"nps": 1})]).json()["items"][0]
    assert (other["code"], other["response_id"]) == ("client_key_conflict", response_id)


# --- the staff page -------------------------------------------------------------------------------------------


def test_the_response_page_shows_state_history_and_saves_a_review(world):
    response = _response(world)
    page = login(world.manager_a)
    url = f"/responses/{response.pk}/"
    html = page.get(url).content.decode()
    assert 'data-state="received"' in html and 'id="review-form"' in html and 'id="edit-form"' in html
    assert 'name="q_nps"' in html and "Not reviewed yet." in html
    saved = page.post(url, {"action": "review", "state": "has_issues", "comment": "<script>alert(1)</script> Q3"})
    assert (saved.status_code, saved["Location"]) == (302, url)
    html = page.get(url).content.decode()
    assert 'data-state="has_issues"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Q3" in html and "<script>alert(1)" not in html
    assert page.post(url, {"action": "review", "state": "received"}).status_code == 400
    assert page.post(url, {"action": "whatever"}).status_code == 400
    assert Response.objects.get(pk=response.pk).review_state == "has_issues"


def test_the_response_page_edits_answers_with_the_submission_rules(world):
    response = _response(world)
    page = login(world.analyst)
    url = f"/responses/{response.pk}/"
    fields = {f"q_{k}": v for k, v in VALID_INTERCEPT.items() if not isinstance(v, list)}
    fields |= {"q_why_not_buy": VALID_INTERCEPT["why_not_buy"], "action": "edit"}
    refused = page.post(url, fields | {"q_nps": "12"})
    assert refused.status_code == 422
    assert 'id="error-nps"' in refused.content.decode()
    assert Response.objects.get(pk=response.pk).nps_score == 9
    saved = page.post(url, fields | {"q_nps": "4", "comment": "typo"})
    assert saved.status_code == 302
    stored = Response.objects.get(pk=response.pk)
    assert (stored.review_state, stored.nps_score) == ("edited", 4)
    html = page.get(url).content.decode()
    assert 'class="previous-answers"' in html and "typo" in html


def test_the_response_page_is_for_reviewers_of_its_unit_only(world):
    response = _response(world, unit=world.store_b)
    assert login(world.interviewer).get(f"/responses/{response.pk}/").status_code == 403
    assert login(world.manager_a).get(f"/responses/{response.pk}/").status_code == 404
    assert login(world.analyst).get("/responses/999999999/").status_code == 404
    response_review_set(actor=world.analyst, response=response, state="rejected")
    assert login(world.analyst).get(f"/responses/{response.pk}/").status_code == 200  # rejected ones too


def test_the_review_event_tells_whether_what_figures_count_changed(world, monkeypatch):
    """``ResponsesReviewed`` carries each response's state before the review, so handlers (weighting) act only when
    a response moved into or out of rejected (``counted_changed``) or its answers changed (``answers_changed``)."""
    from heed.responses import handlers
    from heed.responses.handlers import ResponsesReviewed, StoredResponse, responses_handler_register

    monkeypatch.setattr(handlers, "_handlers", {key: dict(value) for key, value in handlers._handlers.items()})
    seen: list[ResponsesReviewed] = []
    responses_handler_register(event=ResponsesReviewed, name="test.seen", phase="in_transaction", handler=seen.append)
    response = _response(world)
    for state in ("approved", "has_issues", "rejected", "has_issues", "approved"):
        response_review_set(actor=world.analyst, response=response, state=state)
    response_edit(actor=world.analyst, response=response, answers=VALID_INTERCEPT | {"nps": 0})
    assert [(e.state, e.previous_states, e.counted_changed, e.answers_changed) for e in seen] == [
        ("approved", {response.id: "received"}, False, False),
        ("has_issues", {response.id: "approved"}, False, False),
        ("rejected", {response.id: "has_issues"}, True, False),
        ("has_issues", {response.id: "rejected"}, True, False),
        ("approved", {response.id: "has_issues"}, False, False),
        ("edited", {response.id: "approved"}, False, True),
    ]
    unknown = StoredResponse(id=1, organisation_id=1, survey_id=1, unit_id=None, submitted_at=response.submitted_at)
    assert ResponsesReviewed([unknown], state="approved").counted_changed  # without previous states: assume so
