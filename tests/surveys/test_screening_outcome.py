"""A screened-out respondent: the web flow ends with the screened-out ending in their language (not the quota-full
one), the response is stored with outcome ``screened_out``, counted as not eligible, and never enters a
satisfaction figure; the fieldwork sync accepts such an interview the same way."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.test import Client

from heed.analytics.selectors import metric_summary
from heed.core.channels import Channel
from heed.distribution.services import link_create
from heed.fieldwork.models import QuotaMembership
from heed.fieldwork.services import assignment_create, quota_create
from heed.responses.models import Response
from heed.responses.selectors import ResponseFilters, response_outcome_counts
from heed.responses.services import Submission, response_submit
from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES, UI_STRINGS
from heed.surveys.services import question_add, survey_create, survey_publish
from tests.conftest import api_client

YES_NO = [{"value": "yes", "labels": {"en": "Yes", "it": "Sì", "hr": "Da"}},
          {"value": "no", "labels": {"en": "No", "it": "No", "hr": "Ne"}}]  # fmt: skip


@pytest.fixture
def screened(world):
    """A survey whose CSAT comes before the screening question (so a screened-out respondent has a CSAT
    answer that must not count), then NPS; a QR link at store A."""
    survey = survey_create(organisation=world.org, title="Screened visit", created_by=world.analyst,
                           languages=["en", "it", "hr"], default_language="en")  # fmt: skip
    texts = {"en": "How satisfied?", "it": "Quanto soddisfatto?", "hr": "Koliko zadovoljni?"}
    question_add(survey=survey, data={"key": "csat", "type": "csat", "required": True, "texts": texts})
    question_add(survey=survey, data={
        "key": "visited", "type": "single_choice", "required": True, "options": YES_NO,
        "texts": {"en": "Visited today?", "it": "Visitato oggi?", "hr": "Danas posjetili?"},
        "screen_out_if": {"question": "visited", "op": "eq", "value": "no"},
    })  # fmt: skip
    question_add(
        survey=survey,
        data={
            "key": "nps",
            "type": "nps",
            "required": True,
            "texts": {"en": "Recommend?", "it": "Consiglieresti?", "hr": "Preporučili?"},
        },
    )
    version = survey_publish(survey=survey, actor=world.analyst)
    link = link_create(survey=survey, channel=Channel.QR, unit=world.store_a, touchpoint="store")
    return survey, version, link


def _walk(client: Client, url: str, steps: list[tuple[str, str]]) -> str:
    """Answer the steps as the page posts them; returns the page the last answer leads to."""
    client.get(url)
    result = None
    for index, (key, value) in enumerate(steps):
        result = client.post(url, {"index": index, "question": key, "answer": value, "action": "next"})
        assert result.status_code == 302
    assert result is not None
    return client.get(result["Location"]).content.decode()


@pytest.mark.parametrize("language", ["it", "hr"])
def test_the_web_flow_ends_with_the_screened_out_ending_in_the_respondents_language(world, screened, language):
    survey, _version, link = screened
    url = f"/s/{link.token}/?lang={language}"
    page = _walk(Client(), url, [("csat", "2"), ("visited", "no")])
    strings = UI_STRINGS[language]
    assert strings["screened_out_body"] in page
    assert strings["thank_you_body"] not in page and strings["quota_full_body"] not in page
    (response,) = Response.objects.filter(survey=survey)
    assert response.outcome == "screened_out" and response.language == language
    assert {a.question_key for a in response.answers.all()} == {"csat", "visited"}  # kept, the NPS never asked
    assert response.csat_score is None and response.nps_score is None


def test_an_eligible_respondent_goes_on_and_gets_the_usual_ending(world, screened):
    survey, _version, link = screened
    page = _walk(Client(), f"/s/{link.token}/?lang=en", [("csat", "4"), ("visited", "yes"), ("nps", "9")])
    assert UI_STRINGS["en"]["thank_you_body"] in page and UI_STRINGS["en"]["screened_out_body"] not in page
    (response,) = Response.objects.filter(survey=survey)
    assert (response.outcome, response.csat_score, response.nps_score) == ("complete", 4, 9)


def test_screened_out_responses_are_counted_but_left_out_of_satisfaction_figures(world, screened):
    survey, version, _link = screened
    for csat, visited, nps in ((5, "yes", 10), (4, "yes", 9), (1, "no", None), (1, "no", None), (2, "no", None)):
        answers = {"csat": csat, "visited": visited} | ({"nps": nps} if nps is not None else {})
        response_submit(submission=Submission(survey=survey, version=version, language="en", unit=world.store_a),
                        raw_answers=answers)  # fmt: skip
    counts = response_outcome_counts(user=world.analyst, survey_id=survey.id)
    assert counts == {"complete": 2, "partial": 0, "screened_out": 3}
    assert response_outcome_counts(user=world.analyst, survey_id=world.survey.id) == {"complete": 0, "partial": 0,
                                                                                     "screened_out": 0}  # fmt: skip
    summary = metric_summary(user=world.analyst, filters=ResponseFilters(survey_id=survey.id))
    assert summary.csat_mean.n == 2 and summary.nps.n == 2  # the three CSAT answers of 1 and 2 are not counted
    assert summary.csat_mean.value == pytest.approx(4.5)
    api = api_client(world.analyst).get(f"/api/metrics?survey_id={survey.id}").json()["summary"]
    assert api["csat_mean"]["n"] == 2 and api["nps"]["n"] == 2


def test_the_fieldwork_sync_accepts_a_screened_out_interview(world, screened):
    survey, version, _link = screened
    assignment_create(actor=world.analyst, survey=survey, unit=world.store_a, interviewer=world.interviewer)
    quota_create(survey=survey, name="Everyone at Milano", target=10, conditions={}, unit=world.store_a)
    interviews = [
        {"client_key": str(uuid.uuid4()), "survey_id": survey.id, "version": version.number,
         "unit_id": world.store_a.id, "language": language, "answers": answers}
        for language, answers in (("it", {"csat": 1, "visited": "no", "nps": 0}),  # a stray later answer: dropped
                                  ("hr", {"csat": 5, "visited": "yes", "nps": 10}))
    ]  # fmt: skip
    body = {"device_id": str(uuid.uuid4()), "app_version": "1", "interviews": interviews}
    answer = api_client(world.interviewer).post("/api/fieldwork/sync", body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    items = answer.json()["items"]
    assert [item["status"] for item in items] == ["created", "created"]
    out, done = (Response.objects.get(pk=item["response_id"]) for item in items)
    assert (out.outcome, out.csat_score, out.nps_score, out.submitted_by_id) == ("screened_out", None, None,
                                                                                world.interviewer.id)  # fmt: skip
    assert {a.question_key for a in out.answers.all()} == {"csat", "visited"}
    assert (done.outcome, done.nps_score) == ("complete", 10)
    # A screened-out interview is not eligible: no quota counts it.
    counted = set(QuotaMembership.objects.filter(counted=True).values_list("response_id", flat=True))
    assert counted == {done.id}
    # The replay of the same batch is the same outcome: nothing new.
    again = api_client(world.interviewer).post("/api/fieldwork/sync", body, content_type="application/json")
    assert [item["status"] for item in again.json()["items"]] == ["replayed", "replayed"]
    assert Response.objects.filter(survey=survey).count() == 2


def test_every_language_has_its_own_screened_out_ending():
    for language in SUPPORTED_LANGUAGES:
        strings = UI_STRINGS[language]
        assert strings["screened_out_title"] and strings["screened_out_body"]
        assert strings["screened_out_body"] != strings["quota_full_body"]
        assert not re.search(r"\{\w+\}", strings["screened_out_body"])
    assert len({UI_STRINGS[language]["screened_out_body"] for language in SUPPORTED_LANGUAGES}) == 6


def test_a_phone_interview_screened_out_closes_its_case_as_not_eligible(world, screened):
    from zoneinfo import ZoneInfo

    from heed.cati.contacts_csv import Contact
    from heed.cati.selectors import call_list_rates
    from heed.cati.services import call_cases_add, call_list_create, case_interview_submit, next_case

    survey, _version, _link = screened
    call_list = call_list_create(actor=world.analyst, survey=survey, name="Any time", unit=world.store_a,
                                 time_zone="Europe/Zagreb", calling_hours={"mon-sun": "00:00-24:00"})  # fmt: skip
    people = [Contact(phone=f"+38591234567{i}", name=name, language="hr") for i, name in enumerate(("Ana", "Ivo"))]
    call_cases_add(call_list=call_list, contacts=people)
    now = dt.datetime.now(ZoneInfo("Europe/Zagreb"))
    first = next_case(operator=world.analyst, call_list=call_list, now=now)
    assert first is not None
    response, _created = case_interview_submit(case=first, operator=world.analyst, language="hr",
                                               answers={"csat": 2, "visited": "no"})  # fmt: skip
    second = next_case(operator=world.analyst, call_list=call_list, now=now)
    assert second is not None
    case_interview_submit(case=second, operator=world.analyst, language="hr",
                          answers={"csat": 4, "visited": "yes", "nps": 9})  # fmt: skip
    first.refresh_from_db()
    assert (response.outcome, first.status, first.final_code) == ("screened_out", "final", "4.70")
    assert [(c.outcome, c.aapor_code) for c in first.calls.all()] == [("not_eligible", "4.70")]
    rates = call_list_rates(call_list=call_list)
    assert {d.code: d.count for d in rates.dispositions} == {"1.1": 1, "4.70": 1}
    assert rates.rates["RR1"] == pytest.approx(1.0)  # the not-eligible case is out of the denominator
