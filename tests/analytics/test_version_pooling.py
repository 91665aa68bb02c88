"""Analyses never pool answers whose meaning changed between survey versions (issue 7, point 3)."""

from __future__ import annotations

import random

import pytest
from django.utils import translation

from heed.analytics.schemas import SurveyVersionsOut
from heed.analytics.selectors import headline_pooling, metric_rows, metric_summary, version_notes
from heed.responses.models import Response
from heed.responses.selectors import ResponseFilters
from heed.responses.services import Submission, response_submit
from heed.surveys.definition import QuestionDef, meaning_difference
from heed.surveys.models import Question, SurveyVersion
from heed.surveys.selectors import pooling_reason_label, question_versions
from heed.surveys.services import question_add, question_update, survey_create, survey_publish
from tests.conftest import api_client


def _rating(key: str, low: int = 1, high: int = 10) -> dict:
    return {"key": key, "type": "rating", "texts": {"en": key.title()}, "min_value": low, "max_value": high}


@pytest.fixture
def speed_survey(world):
    """v1: speed rated 1-10, 40 responses at 9-10; v2: speed rated 1-5 (same key), 40 responses around 3."""
    survey = survey_create(organisation=world.org, title="Delivery", created_by=world.analyst, languages=["en"],
                           default_language="en")  # fmt: skip
    question_add(survey=survey, data={"key": "nps", "type": "nps", "metric": "nps", "texts": {"en": "Recommend?"}})
    for key in ("speed", "courtesy", "accuracy"):
        question_add(survey=survey, data=_rating(key))
    survey_publish(survey=survey, actor=world.analyst)
    rng = random.Random(7)
    for _ in range(40):
        answers = {"nps": rng.randint(0, 10), "speed": rng.choice([9, 10]), "courtesy": rng.randint(1, 10),
                   "accuracy": rng.randint(1, 10)}  # fmt: skip
        response_submit(submission=Submission(survey=survey, language="en", unit=world.store_a), raw_answers=answers)
    question_update(question=survey.questions.get(key="speed"), data=_rating("speed", 1, 5))
    survey_publish(survey=survey, actor=world.analyst)
    speeds = [2, 3, 4, 3] * 10  # mean 3
    for speed in speeds:
        answers = {"nps": rng.randint(0, 10), "speed": speed, "courtesy": rng.randint(1, 10),
                   "accuracy": rng.randint(1, 10)}  # fmt: skip
        response_submit(submission=Submission(survey=survey, language="en", unit=world.store_a), raw_answers=answers)
    assert survey.versions.count() == 2 and Response.objects.filter(survey=survey).count() == 80
    return world, survey


def test_meaning_is_type_scale_and_option_keys():
    def q(**fields) -> QuestionDef:
        return QuestionDef.model_validate({"key": "q", "texts": {"en": "Q"}, **fields})

    ten, five = q(type="rating", min=1, max=10), q(type="rating", min=1, max=5)
    assert meaning_difference(ten, q(type="rating", min=1, max=10, texts={"en": "Reworded"})) is None
    assert meaning_difference(five, ten) == "scale 1–10, not 1–5"
    assert meaning_difference(five, q(type="likert")) == "type likert, not rating"
    assert meaning_difference(five, None) == "not asked"
    a = q(type="single_choice", options=[{"value": "yes", "labels": {"en": "Yes"}}, {"value": "no", "labels": {}}])
    b = q(type="single_choice", options=[{"value": "yes", "labels": {"en": "Sì"}}, {"value": "maybe", "labels": {}}])
    assert meaning_difference(a, b) == "options differ (+maybe, −no)"
    assert meaning_difference(a, a.model_copy(update={"required": True})) is None
    both = meaning_difference(a, q(type="multiple_choice", options=[{"value": "yes", "labels": {}}]))
    assert both == "type multiple_choice, not single_choice; options differ (−no)"
    with translation.override("it"):  # pages show the reasons in the staff user's language
        assert pooling_reason_label(meaning_difference(five, ten) or "") == "scala 1–10, non 1–5"
        assert pooling_reason_label("not asked") == "non posta"
        assert pooling_reason_label(both) == "tipo multiple_choice, non single_choice; opzioni diverse (−no)"
        assert pooling_reason_label("something new") == "something new"  # unknown: shown as stored
    with translation.override("ru"):
        assert pooling_reason_label(meaning_difference(a, b) or "") == "варианты ответа различаются (+maybe, −no)"
    assert pooling_reason_label(both) == both  # English: as stored (and as the API gives it)


def test_drivers_api_reads_only_comparable_versions_and_names_them(speed_survey):
    world, survey = speed_survey
    answer = api_client(world.analyst).get(f"/api/surveys/{survey.id}/drivers?outcome=nps")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["n"] == 40  # not 80: the v1 answers to speed (1-10) do not mean what v2's (1-5) mean
    speed = next(d for d in body["drivers"] if d["key"] == "speed")
    assert speed["mean"] == 3.0 and (speed["scale_min"], speed["scale_max"]) == (1, 5)  # not 6.25
    versions = body["versions"]
    assert versions["analysed"] == 2 and versions["pooled"] == [2]
    by_key = {q["key"]: q for q in versions["questions"]}
    assert by_key["speed"]["pooled"] == [2]
    assert by_key["speed"]["excluded"] == [{"version": 1, "reason": "scale 1–10, not 1–5"}]
    assert by_key["courtesy"]["pooled"] == [1, 2] and by_key["courtesy"]["excluded"] == []


def test_drivers_of_the_first_version_read_only_the_first(speed_survey):
    world, survey = speed_survey
    body = api_client(world.analyst).get(f"/api/surveys/{survey.id}/drivers?outcome=nps&version=1").json()
    assert body["n"] == 40 and body["versions"]["analysed"] == 1 and body["versions"]["pooled"] == [1]
    speed = next(d for d in body["drivers"] if d["key"] == "speed")
    assert 9 <= speed["mean"] <= 10 and speed["scale_max"] == 10
    missing = api_client(world.analyst).get(f"/api/surveys/{survey.id}/drivers?outcome=nps&version=9")
    assert missing.status_code == 404
    speed_v1 = next(q for q in body["versions"]["questions"] if q["key"] == "speed")
    assert speed_v1["excluded"] == [{"version": 2, "reason": "scale 1–5, not 1–10"}]  # later versions are compared too
    metrics = api_client(world.analyst).get(f"/api/metrics?survey_id={survey.id}&version=1").json()
    nps = next(m for m in metrics["versions"][0]["metrics"] if m["key"] == "nps")
    assert nps["reference_version"] == 1 and nps["pooled"] == [1, 2] and metrics["summary"]["nps"]["n"] == 80


def test_drivers_page_names_the_versions(speed_survey):
    from tests.conftest import login

    world, survey = speed_survey
    html = login(world.analyst).get(f"/surveys/{survey.id}/drivers/?outcome=nps").content.decode()
    assert 'id="versions-note"' in html and "v1 left out for speed: scale 1–10, not 1–5" in html
    first = login(world.analyst).get(f"/surveys/{survey.id}/drivers/?outcome=nps&version=1").content.decode()
    assert "Survey version pooled: v1 (as asked in v1)." in first and 'id="drivers-n">40<' in first
    assert login(world.analyst).get(f"/surveys/{survey.id}/drivers/?version=7").status_code == 404


def test_selector_for_reuse(speed_survey):
    _world, survey = speed_survey
    pooling = question_versions(survey=survey, keys=["speed", "nps"])
    v1, v2 = SurveyVersion.objects.filter(survey=survey).order_by("number")
    assert pooling["speed"].version_ids == {v2.id} and pooling["speed"].excluded_ids == {v1.id}
    assert pooling["nps"].version_ids == {v1.id, v2.id}


def test_headline_metrics_pool_only_comparable_versions(world):
    """NPS is the same 0-10 in every version, so all are pooled; a changed CSAT question is not (API, rollups)."""
    survey = world.survey
    for score in (9, 10):
        response_submit(submission=Submission(survey=survey, language="en", unit=world.store_a),
                        raw_answers={"store_experience": 5, "did_buy": "yes", "nps": score})  # fmt: skip
    Question.objects.filter(survey=survey, key="store_experience").update(type="ces", metric="ces", min_value=1,
                                                                          max_value=7)  # fmt: skip
    Question.objects.filter(survey=survey, key="nps").update(texts={"en": "Reworded", "it": "x", "hr": "y"})
    survey_publish(survey=survey, actor=world.analyst)
    response_submit(submission=Submission(survey=survey, language="en", unit=world.store_a),
                    raw_answers={"store_experience": 2, "did_buy": "yes", "nps": 0})  # fmt: skip
    pooling = headline_pooling(user=world.analyst, filters=ResponseFilters(survey_id=survey.id))
    (title, metrics), = pooling.surveys.values()  # fmt: skip
    assert metrics["nps"].pooled == (1, 2)
    assert metrics["csat"].pooled == (1,) and metrics["csat"].reference == 1  # v2 asks no CSAT any more
    assert metrics["ces"].pooled == (2,)
    summary = metric_summary(user=world.analyst, filters=ResponseFilters(survey_id=survey.id))
    assert summary.nps.n == 3 and summary.csat_mean.n == 2 and summary.ces_mean.n == 1
    body = api_client(world.analyst).get(f"/api/metrics?survey_id={survey.id}").json()
    assert body["versions"][0]["survey_id"] == survey.id
    nps = next(m for m in body["versions"][0]["metrics"] if m["key"] == "nps")
    assert nps == {"key": "nps", "reference_version": 2, "pooled": [1, 2], "excluded": []}
    from tests.conftest import login

    html = login(world.analyst).get(f"/dashboard/?survey={survey.id}").content.decode()
    assert "Survey versions pooled: v1, v2." in html


def test_headline_metric_whose_meaning_changed_is_not_pooled(world):
    """A version left out for a metric is left out on every read path: responses, weighted sums, and not the
    per-survey rollups (which would mix it in). Today a metric question's scale is fixed by its type (NPS 0-10,
    CSAT 1-5, CES 1-7), so the pooling that leaves v1 out is given directly, as a changed mapping would produce."""
    from heed.analytics.selectors import HeadlinePooling
    from heed.analytics.weighting import weighting_scheme_compute, weighting_scheme_create
    from heed.surveys.selectors import VersionPooling, metric_versions

    survey = world.survey
    for _ in range(3):
        response_submit(submission=Submission(survey=survey, language="en", unit=world.store_a),
                        raw_answers={"store_experience": 5, "did_buy": "yes", "nps": 9, "gender": "male"})  # fmt: skip
    Question.objects.filter(survey=survey, key="nps").update(texts={"en": "New wording", "it": "x", "hr": "y"})
    survey_publish(survey=survey, actor=world.analyst)
    response_submit(submission=Submission(survey=survey, language="en", unit=world.store_b),
                    raw_answers={"store_experience": 5, "did_buy": "yes", "nps": 0, "gender": "male"})  # fmt: skip
    v1, v2 = survey.versions.order_by("number")
    real = metric_versions(survey=survey)
    assert real["nps"].pooled == (1, 2)  # rewording keeps the meaning
    left_out = VersionPooling("nps", 2, (2,), ((1, "scale 1–5, not 0–10"),), frozenset({v2.id}), frozenset({v1.id}))
    pooling = HeadlinePooling({survey.id: (survey.title, real | {"nps": left_out})})
    filters = ResponseFilters(survey_id=survey.id)
    for group_by in (None, "unit", "month", "channel", "age_group"):
        if group_by is None:
            rows = [metric_summary(user=world.analyst, filters=filters, pooling=pooling)]
        else:
            rows = metric_rows(user=world.analyst, dimension=group_by, filters=filters, pooling=pooling)
        assert sum(r.nps.n for r in rows) == 1 and sum(r.csat_mean.n for r in rows) == 4
        assert sum(r.responses for r in rows) == 4
    typed = [SurveyVersionsOut.model_validate(survey) for survey in pooling.as_list()]
    assert "Store visit: NPS pools v2 (as in v2); left out v1 (scale 1–5, not 0–10)." in version_notes(typed)
    with translation.override("it"):  # the note is the staff user's language, its reason too
        assert "Store visit: NPS combina v2 (come nella v2); escluse v1 (scala 1–5, non 0–10)." in version_notes(typed)
    with translation.override("hr"):
        assert "Store visit: NPS objedinjuje v2 (kao u v2); izostavljeno: v1 (ljestvica 1–5, a ne 0–10)." in (
            version_notes(typed)
        )
    scheme = weighting_scheme_create(survey=survey, name="All men", created_by=world.analyst,
                                     targets={"gender": {"male": 1.0}})  # fmt: skip
    weighting_scheme_compute(scheme=scheme)
    weighted = metric_summary(user=world.analyst, filters=filters, scheme=scheme, pooling=pooling)
    assert weighted.nps.n == 1 and weighted.nps.value == -100.0 and weighted.csat_mean.n == 4


def test_engagement_reads_each_item_from_comparable_versions(world):
    from heed.stats.cx_indices import engagement_index

    survey = survey_create(organisation=world.org, title="Engagement", created_by=None, template_key="engagement")
    survey_publish(survey=survey, actor=None)
    keys = ["eng_overall", "eng_buy_again", "nps", "eng_promise", "eng_fair"]
    # ten of each: 30 respondents a version, so the index is not suppressed by the small-sample policy
    first = [(5, 5, 10, 5, 5), (4, 4, 8, 4, 4), (2, 1, 3, 2, 2)] * 10
    second = [(5, 4, 9, 5, 1), (3, 3, 6, 3, 2), (4, 5, 9, 4, 3)] * 10
    for row in first:
        response_submit(submission=Submission(survey=survey, language="en", unit=world.store_a),
                        raw_answers=dict(zip(keys, row, strict=True)))  # fmt: skip
    fair = survey.questions.get(key="eng_fair")
    question_update(question=fair, data={"key": "eng_fair", "type": "rating", "min_value": 1, "max_value": 5,
                                         "texts": fair.texts, "required": True})  # fmt: skip
    survey_publish(survey=survey, actor=None)
    for row in second:
        response_submit(submission=Submission(survey=survey, language="en", unit=world.store_a),
                        raw_answers=dict(zip(keys, row, strict=True)))  # fmt: skip
    body = api_client(world.analyst).get(f"/api/surveys/{survey.id}/engagement").json()
    assert body["versions"]["analysed"] == 2 and body["versions"]["pooled"] == [2]
    fair_pooling = next(q for q in body["versions"]["questions"] if q["key"] == "eng_fair")
    assert [x["version"] for x in fair_pooling["excluded"]] == [1]
    assert fair_pooling["excluded"][0]["reason"].startswith("type likert, not rating")
    nan = float("nan")
    columns = {key: [row[j] for row in first] + [row[j] for row in second] for j, key in enumerate(keys)}
    columns["eng_fair"] = [nan] * len(first) + [row[4] for row in second]  # v1's answers are not read
    expected = engagement_index(columns)
    assert body["index"]["value"] == pytest.approx(expected.index.estimate.value, abs=1e-3)


def test_metrics_version_parameter_is_checked(world):
    client = api_client(world.analyst)
    answer = client.get("/api/metrics?version=1")
    assert answer.status_code == 400 and answer.json()["code"] == "version_needs_survey"
    assert client.get(f"/api/metrics?survey_id={world.survey.id}&version=5").status_code == 404
    body = client.get(f"/api/metrics?survey_id={world.survey.id}&version=1").json()
    assert [m["reference_version"] for m in body["versions"][0]["metrics"]] == [1, 1, 1]


def test_engagement_refuses_an_item_on_another_scale(world):
    survey = survey_create(organisation=world.org, title="Engagement", created_by=None, template_key="engagement")
    survey_publish(survey=survey, actor=None)
    fair = survey.questions.get(key="eng_fair")
    question_update(question=fair, data={"key": "eng_fair", "type": "rating", "min_value": 1, "max_value": 10,
                                         "texts": fair.texts, "required": True})  # fmt: skip
    survey_publish(survey=survey, actor=None)
    client = api_client(world.analyst)
    answer = client.get(f"/api/surveys/{survey.id}/engagement")
    assert answer.status_code == 400 and answer.json()["code"] == "engagement_scale_changed"
    assert "eng_fair (1–10, the index expects 1–5)" in answer.json()["detail"]
    assert client.get(f"/api/surveys/{survey.id}/engagement?version=1").json()["code"] == "no_responses"


def test_the_drivers_page_note_gives_the_reason_in_the_readers_language():
    from django.template.loader import render_to_string
    from django.utils import translation

    from heed.surveys.selectors import pooling_reason_label

    excluded = [{"version": 1, "reason": "scale 1–5, not 0–10"}]
    versions = {"pooled": [2], "analysed": 2, "questions": [{"key": "speed", "excluded": excluded}]}
    with translation.override("it"):
        italian = pooling_reason_label("scale 1–5, not 0–10")
        note = render_to_string("analytics/partials/versions_note.html", {"v": versions})
    assert italian != "scale 1–5, not 0–10"
    assert italian in note and "scale 1–5, not 0–10" not in note
