"""Correcting a published version's metric mapping re-derives its responses' scores (and rollups)."""

from __future__ import annotations

import pytest

from heed.analytics.models import DailyRollup
from heed.responses.headlines import version_headlines_rederive, version_metrics_correct
from heed.responses.models import Response
from heed.responses.services import Submission, response_submit
from heed.surveys.models import Survey, SurveyVersion
from heed.surveys.selectors import version_definition
from heed.surveys.services import question_add, survey_create, survey_publish
from tests.conftest import api_client, login, suppression_off

SCORES = [10, 9, 9, 7, 3, None]  # 3 promoters, 1 detractor of 5 answered: NPS 40; one left it blank


@pytest.fixture
def mis_tagged(world, django_capture_on_commit_callbacks) -> tuple[Survey, SurveyVersion]:
    """Version 1's NPS question counted for nothing (as every version published before the fix did)."""
    survey = survey_create(organisation=world.org, title="Relationship", created_by=world.analyst)
    question_add(survey=survey, data={"key": "recommend", "type": "nps", "texts": {"en": "Recommend?"}})
    question_add(survey=survey, data={"key": "happy", "type": "csat", "texts": {"en": "Happy?"}})
    question_add(survey=survey, data={"key": "why", "type": "text", "texts": {"en": "Why?"}})
    version = survey_publish(survey=survey, actor=world.analyst)
    definition = version.definition
    for question in definition["questions"]:
        question["metric"] = ""  # the pre-fix freeze: nothing counts
    SurveyVersion.objects.filter(pk=version.pk).update(definition=definition)
    version.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        for score in SCORES:
            answers = {"happy": 4, "why": "ok"} | ({"recommend": score} if score is not None else {})
            response_submit(
                submission=Submission(survey=survey, language="en", unit=world.store_a), raw_answers=answers
            )
    assert Response.objects.filter(survey=survey, nps_score__isnull=False).count() == 0
    return survey, version


def _rollup_nps(survey: Survey) -> tuple[int, int, int]:
    rows = DailyRollup.objects.filter(survey=survey)
    return (sum(r.nps_n for r in rows), sum(r.nps_pro for r in rows), sum(r.nps_det for r in rows))


def test_correcting_the_mapping_recomputes_scores_and_rollups(world, mis_tagged, django_capture_on_commit_callbacks):
    survey, version = mis_tagged
    assert _rollup_nps(survey) == (0, 0, 0)
    with django_capture_on_commit_callbacks(execute=True):
        count = version_metrics_correct(version=version, mapping={"nps": "recommend", "csat": "happy"})
    assert count == len(SCORES)
    scores = sorted(Response.objects.filter(survey=survey).values_list("nps_score", flat=True), key=str)
    assert scores == sorted(SCORES, key=str)
    assert set(Response.objects.filter(survey=survey).values_list("csat_score", flat=True)) == {4}
    assert _rollup_nps(survey) == (5, 3, 1)
    version.refresh_from_db()
    assert version_definition(version).metric_keys() == {"nps": "recommend", "csat": "happy"}

    with django_capture_on_commit_callbacks(execute=True):
        version_metrics_correct(version=version, mapping={"nps": None})  # csat keeps its mapping
    assert not Response.objects.filter(survey=survey, nps_score__isnull=False).exists()
    assert Response.objects.filter(survey=survey, csat_score=4).count() == len(SCORES)
    assert _rollup_nps(survey) == (0, 0, 0)


def test_a_mapping_must_name_a_question_of_the_metrics_type(world, mis_tagged):
    from heed.core.errors import ApplicationError

    _survey, version = mis_tagged
    for mapping in ({"nps": "happy"}, {"nps": "why"}, {"nps": "missing"}, {"speed": "recommend"}):
        with pytest.raises(ApplicationError) as error:
            version_metrics_correct(version=version, mapping=mapping)
        assert error.value.code == "invalid_metric_mapping"
    assert not Response.objects.filter(nps_score__isnull=False).exists()


def test_rederiving_touches_only_the_versions_responses(world, mis_tagged):
    survey, version = mis_tagged
    other = Response.objects.filter(survey=world.survey)
    response_submit(
        submission=Submission(survey=world.survey, language="en"),
        raw_answers={"store_experience": 4, "did_buy": "yes", "nps": 2},
    )
    assert version_headlines_rederive(version=version) == len(SCORES)
    assert list(other.values_list("nps_score", flat=True)) == [2]


def test_the_builder_offers_the_correction_and_the_dashboard_follows(world, mis_tagged, monkeypatch):
    survey, version = mis_tagged
    client = login(world.analyst)
    page = client.get(f"/surveys/{survey.id}/edit/").content.decode()
    assert 'id="version-metrics"' in page and "Counts for no metric: recommend (NPS), happy (CSAT)" in page
    assert '<option value="recommend" selected>recommend</option>' in page  # the type's question suggested
    before = client.get(f"/api/metrics?survey_id={survey.id}").json()["summary"]
    assert before["nps"]["n"] == 0
    done = client.post(f"/surveys/{survey.id}/versions/1/metrics/", {"nps": "recommend", "csat": "happy"})
    assert done.status_code == 302
    assert "Version 1: headline metrics saved; 6 responses recomputed." in client.get(done["Location"]).content.decode()
    after = client.get(f"/api/metrics?survey_id={survey.id}").json()["summary"]
    assert after["nps"]["n"] == 5 and after["nps"]["reliability"] == "suppressed"  # n < 30: no value shown
    suppression_off(monkeypatch)  # the value behind the suppression
    after = client.get(f"/api/metrics?survey_id={survey.id}").json()["summary"]
    assert after["nps"]["value"] == pytest.approx(40.0)
    assert client.post(f"/surveys/{survey.id}/versions/7/metrics/", {"nps": "recommend"}).status_code == 404


def test_the_api_corrects_a_versions_mapping(world, mis_tagged):
    survey, _version = mis_tagged
    client = api_client(world.analyst)
    url = f"/api/surveys/{survey.id}/versions/1/metrics"
    done = client.post(url, {"nps": "recommend"}, content_type="application/json")
    assert done.status_code == 200
    assert done.json() == {"survey_id": survey.id, "version": 1, "metrics": {"nps": "recommend"},
                           "responses_recomputed": 6}  # fmt: skip
    assert Response.objects.filter(survey=survey, nps_score__isnull=False).count() == 5
    wrong = client.post(url, {"nps": "happy"}, content_type="application/json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_metric_mapping"
    assert (
        client.post(f"/api/surveys/{survey.id}/versions/9/metrics", {}, content_type="application/json").status_code
        == 404
    )
    denied = api_client(world.manager_a).post(url, {"nps": None}, content_type="application/json")
    assert denied.status_code == 403
    assert Response.objects.filter(survey=survey, nps_score__isnull=False).count() == 5
