"""What a new supervisor met on the fieldwork pages: the way from an interview to its review page, flag details
and question timings in words (not keys), quota conditions with labels, quota values the survey cannot take,
and the fieldwork services' messages in the staff language (Croatian here)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from heed.accounts.services import user_set_language
from heed.core.errors import ApplicationError
from heed.fieldwork.models import Flag, Quota
from heed.fieldwork.services import quota_create
from heed.fieldwork.texts import conditions_text, flag_detail_text
from heed.surveys.selectors import survey_latest_version, version_definition
from tests.conftest import VALID_INTERCEPT, api_client, login
from tests.fieldwork.helpers import interview, sync


def _interview(world) -> int:
    start = timezone.now() - dt.timedelta(days=1)
    audit = [{"event": "form start", "node": "", "start": 1, "end": None},
             {"event": "question", "node": "/data/nps", "start": 1000, "end": 13500},
             {"event": "question", "node": "/data/comment", "start": 13500, "end": 40000}]  # fmt: skip
    body = sync(api_client(world.interviewer), [
        interview(world, started_at=start.isoformat(), submitted_at=(start + dt.timedelta(minutes=5)).isoformat(),
                  audit=audit)]).json()  # fmt: skip
    return body["items"][0]["response_id"]


def _flag(world, response_id: int, code: str, detail: dict) -> None:
    Flag.objects.create(response_id=response_id, organisation=world.org, survey=world.survey, code=code,
                        detail=detail)  # fmt: skip


def _definition(world):
    return version_definition(survey_latest_version(survey=world.survey))


def test_the_interview_and_flagged_lists_link_to_the_review_page(world):
    response_id = _interview(world)
    _flag(world, response_id, "speeding", {"duration_seconds": 1.0, "median_seconds": 293.0,
                                           "threshold_seconds": 146.5, "comparable_n": 67})  # fmt: skip
    for user in (world.analyst, world.manager_a):
        page = login(user)
        one = page.get(f"/fieldwork/interviews/{response_id}/").content.decode()
        assert f'<a class="button" href="/responses/{response_id}/">Review: approve, reject or edit' in one
        assert 'id="review-state" data-state="received">Received<' in one
        listed = page.get(f"/fieldwork/interviewers/{world.interviewer.id}/").content.decode().split('id="flagged"')[1]
        assert f'<a class="review-link" href="/responses/{response_id}/">Review</a>' in listed
        assert page.get(f"/responses/{response_id}/").status_code == 200


def test_the_overshoot_list_links_to_the_review_page(world):
    quota_create(survey=world.survey, name="Women", target=1, conditions={"gender": ["female"]})
    first, second = (item["response_id"] for item in sync(api_client(world.interviewer), [
        interview(world, answers=VALID_INTERCEPT) for _ in range(2)]).json()["items"])  # fmt: skip
    html = login(world.analyst).get("/fieldwork/").content.decode()
    overshoot = html.split('id="overshoot"')[1].split("</table>")[0]
    assert f'href="/responses/{second}/">Review</a>' in overshoot and f"/responses/{first}/" not in overshoot


def test_flag_details_and_question_timings_read_as_words_not_keys(world):
    response_id = _interview(world)
    details = {
        "out_of_area": {"distance_m": 5343.6, "radius_m": 300.0, "accuracy_m": 12.0},
        "mock_location_suspected": {"accuracy_m": 0.0},
        "outside_hours": {"local_start": "2026-12-01T01:58", "local_end": "2026-12-01T02:03", "start_inside": False,
                          "end_inside": False},
        "speeding": {"duration_seconds": 1.0, "median_seconds": 293.0, "threshold_seconds": 146.5, "comparable_n": 67},
        "no_location": {"status": "denied"},
        "clock_skew": {"started_after_receipt_seconds": 3300.0, "ended_after_receipt_seconds": 3600.0},
        "straight_lining": {"items": 5, "longest_run": 5, "irv": 0.0, "questions": "store_experience, merchandise"},
        "possible_duplicate": {"other_response_id": 7, "closed_agreement": 1.0, "text_similarity": 0.95,
                               "seconds_apart": 180.0},
    }  # fmt: skip
    for code, detail in details.items():
        _flag(world, response_id, code, detail)
    html = login(world.analyst).get(f"/fieldwork/interviews/{response_id}/").content.decode()
    flags = html.split('id="flags"')[1].split("</ul>")[0]
    for key in ("accuracy_m", "distance_m", "local_start", "start_inside", "duration_seconds", "comparable_n",
                "status", "store_experience", "closed_agreement", "None", "False"):  # fmt: skip
        assert key not in flags, key
    assert "Distance from the unit: 5.3 km (allowed 300 m); GPS accuracy ± 12 m" in flags
    assert "Duration 1 s; median of 67 comparable interviews 293 s (flagged below 146 s)" in flags
    assert "started 2026-12-01 01:58 (outside opening hours), ended 2026-12-01 02:03" in flags
    assert "accurate to 0 m" in flags and "refused access to the location" in flags and "60 min after" in flags
    assert "Like interview 7: 100% of the closed answers are the same; started 180 s apart" in flags
    definition = _definition(world)
    texts = {q.key: q.text("en", definition.default_language) for q in definition.questions}
    assert texts["store_experience"] in flags
    timings = html.split('id="timings"')[1]
    assert "<td>comment</td>" not in timings and f"<td>{texts['comment']}</td>" in timings
    assert f"<td>{texts['nps']}</td>" in timings
    assert flag_detail_text("no_location", {}) == ""


def test_quota_conditions_read_with_labels_and_everyone_without_conditions(world):
    quota_create(survey=world.survey, name="All", target=10, conditions={})
    quota_create(survey=world.survey, name="Young women", target=10,
                 conditions={"gender": ["female"], "age_group": ["18-24", "25-34"]})  # fmt: skip
    html = login(world.analyst).get("/fieldwork/").content.decode()
    quotas = html.split('id="quotas"')[1].split("</table>")[0]
    assert "{}" not in quotas and "<td>everyone</td>" in quotas
    definition = _definition(world)
    gender = next(q for q in definition.questions if q.key == "gender")
    assert f"{gender.text('en', 'en')}: Female;" in quotas and ": 18-24 or 25-34</td>" in quotas
    assert conditions_text({"shoe": ["42"]}, definition) == "shoe: 42"


@pytest.mark.parametrize(
    ("conditions", "problem"),
    [({"gender": ["female", "martian"]}, "has no answer 'martian'"), ({"nps": ["11"]}, "from 0 to 10, not '11'"),
     ({"nps": ["4.5"]}, "not '4.5'"), ({"nonexistent_q": ["1"]}, "has no question 'nonexistent_q'")],
)  # fmt: skip
def test_a_quota_refuses_values_its_question_cannot_take(world, conditions, problem):
    with pytest.raises(ApplicationError) as refused:
        quota_create(survey=world.survey, name="Never", target=5, conditions=conditions)
    assert refused.value.code == "invalid_quota" and problem in refused.value.message
    assert not Quota.objects.exists()
    quota_create(survey=world.survey, name="Fine", target=5, conditions={"gender": ["female"], "nps": ["9", "10"]})
    assert Quota.objects.count() == 1


def test_fieldwork_messages_are_in_the_staff_language(world):
    user_set_language(actor=world.analyst, user=world.analyst, language="hr")
    page = login(world.analyst)
    shift = page.post("/fieldwork/", {"action": "assign", "survey": world.survey.id, "unit": world.store_a.id,
                                      "interviewer": world.interviewer.id, "starts_at": "2026-12-02T10:00",
                                      "ends_at": "2026-12-02T09:00"}, follow=True).content.decode()  # fmt: skip
    assert "Smjena mora završiti nakon što počne." in shift and "The shift must end" not in shift
    quota = page.post("/fieldwork/", {"action": "quota", "survey": world.survey.id, "name": "Q", "target": 1,
                                      "conditions": "nonexistent_q = 1"}, follow=True).content.decode()  # fmt: skip
    assert "Anketa nema pitanje &#x27;nonexistent_q&#x27;." in quota and "The survey has no" not in quota
    martian = page.post("/fieldwork/", {"action": "quota", "survey": world.survey.id, "name": "Q", "target": 1,
                                        "conditions": "gender = martian"}, follow=True).content.decode()  # fmt: skip
    assert "nema odgovor &#x27;martian&#x27;" in martian
    zone = page.post("/fieldwork/sites/", {"unit": world.store_a.id, "time_zone": "Mars/Base"}).content.decode()
    assert "Nepoznata vremenska zona &#x27;Mars/Base&#x27;" in zone and "Unknown time zone" not in zone
    hours = page.post("/fieldwork/sites/", {"unit": world.store_a.id, "time_zone": "Europe/Zagreb",
                                            "opening_hours": "mon 25:00-26:00"}).content.decode()  # fmt: skip
    assert "Radno vrijeme:" in hours and "25:00-26:00" in hours and "does not exist" not in hours


def test_flag_details_read_in_the_staff_language(world):
    response_id = _interview(world)
    _flag(world, response_id, "out_of_area", {"distance_m": 5343.6, "radius_m": 300.0, "accuracy_m": 12.0})
    user_set_language(actor=world.analyst, user=world.analyst, language="hr")
    html = login(world.analyst).get(f"/fieldwork/interviews/{response_id}/").content.decode()
    assert "Udaljenost od jedinice: 5,3 km (dopušteno 300 m)" in html and "Pregled: odobrite" in html
