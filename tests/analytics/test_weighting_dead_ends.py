"""Weighting without dead ends: "other"/"na" answers, named unknown categories, failed schemes, delete and
replace (issue 7, point 5)."""

from __future__ import annotations

import pytest

from heed.analytics.models import ResponseWeight, WeightingScheme
from heed.analytics.weighting import targets_from_csv, weighting_categories
from heed.core.errors import ApplicationError
from heed.responses.services import Submission, response_submit
from tests.conftest import login

MARGINS = "variable,category,share\ngender,female,0.5\ngender,male,0.5\n"


@pytest.fixture
def answered(world):
    """30 women, 50 men, 15 "other", 5 "prefer not to say" (na)."""
    genders = ["female"] * 30 + ["male"] * 50 + ["other"] * 15 + ["na"] * 5
    for gender in genders:
        response_submit(submission=Submission(survey=world.survey, language="en", unit=world.store_a),
                        raw_answers={"store_experience": 4, "did_buy": "yes", "nps": 9, "gender": gender})  # fmt: skip
    return world


def _upload(client, world, *, unmatched: str | None, replace: int | None = None, margins: str = MARGINS, **extra):
    data = {"name": "Census", "margins": margins, **extra}
    if unmatched:
        data["unmatched"] = unmatched
    if replace:
        data["replace"] = replace
    return client.post(f"/surveys/{world.survey.id}/weighting/", data)


def test_other_and_na_are_kept_at_their_share_when_the_analyst_says_so(answered, django_capture_on_commit_callbacks):
    client = login(answered.analyst)
    with django_capture_on_commit_callbacks(execute=True):
        page = _upload(client, answered, unmatched="keep")
    assert page.status_code == 302  # POST/redirect/GET
    scheme = WeightingScheme.objects.get()
    assert scheme.status == "ready" and scheme.unmatched == "keep"
    d = scheme.diagnostics
    assert (d["weighted"], d["unknown"]) == (100, 0)
    assert d["unmatched"]["categories"] == {"gender": {"na": 5, "other": 15}} and d["unmatched"]["respondents"] == 20
    weights = dict(ResponseWeight.objects.filter(scheme=scheme).values_list("response__gender", "weight").distinct())
    assert weights["female"] == pytest.approx(40 / 30) and weights["male"] == pytest.approx(0.8)
    assert weights["other"] == pytest.approx(1.0) and weights["na"] == pytest.approx(1.0)
    html = client.get(f"/surveys/{answered.survey.id}/weighting/").content.decode()
    # option labels, never the stored keys (na, other)
    assert (
        "Gender: Prefer not to say (5), Other / prefer to self-describe (15)" in html
        and "20 respondents: kept at their share of the sample" in html
    )
    assert "na (5)" not in html and "other (15)" not in html


def test_other_and_na_are_left_out_when_the_analyst_says_so(answered, django_capture_on_commit_callbacks):
    client = login(answered.analyst)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, answered, unmatched="exclude")
    scheme = WeightingScheme.objects.get()
    assert scheme.status == "ready"
    assert (scheme.diagnostics["weighted"], scheme.diagnostics["unknown"]) == (80, 20)
    assert ResponseWeight.objects.filter(scheme=scheme).count() == 80
    html = client.get(f"/surveys/{answered.survey.id}/weighting/").content.decode()
    assert "20 respondents: left out of weighted figures" in html


def test_unknown_categories_are_named(world):
    known = weighting_categories(survey=world.survey)
    assert known["gender"] == ["female", "male", "other", "na"]
    margins = "age_group,18-24,0.2\nage_group,25-34,0.3\nage_group,35-44,0.3\nage_group,99+,0.2"
    with pytest.raises(ApplicationError, match=r"age_group has no category “99\+” in this survey"):
        targets_from_csv(margins, known=known)
    with pytest.raises(ApplicationError, match=r"age_group \(18-24, 25-34\) add up to 0.5"):
        targets_from_csv("age_group,18-24,0.2\nage_group,25-34,0.3", known=known)
    page = login(world.analyst).post(f"/surveys/{world.survey.id}/weighting/", {"name": "x", "margins": margins})
    assert page.status_code == 422 and "no category “99+”" in page.content.decode()
    assert not WeightingScheme.objects.exists()


def test_a_failed_scheme_never_breaks_the_page(answered):
    client = login(answered.analyst)
    WeightingScheme.objects.create(organisation=answered.org, survey=answered.survey, name="Broken",
                                   status="failed", targets={"gender": {"female": 1.0}},
                                   diagnostics={"error": "cannot rake"})  # fmt: skip
    WeightingScheme.objects.create(organisation=answered.org, survey=answered.survey, name="Odd", status="failed",
                                   targets={"gender": {"female": 1.0}},
                                   diagnostics={"design_effect": "n/a", "unmatched": "x"})  # fmt: skip
    page = client.get(f"/surveys/{answered.survey.id}/weighting/")
    assert page.status_code == 200
    assert "cannot rake" in page.content.decode()


def test_a_target_without_respondents_fails_with_its_name_and_the_page_stays_up(
    answered, django_capture_on_commit_callbacks
):
    client = login(answered.analyst)
    margins = "age_group,18-24,0.5\nage_group,65+,0.5"  # nobody answered the age question
    with django_capture_on_commit_callbacks(execute=True):
        assert _upload(client, answered, unmatched="exclude", margins=margins).status_code == 302
    scheme = WeightingScheme.objects.get()
    assert scheme.status == "failed"
    page = client.get(f"/surveys/{answered.survey.id}/weighting/")
    assert page.status_code == 200 and "No respondent has a category with a target share" in page.content.decode()


def test_a_failed_scheme_says_why_in_plain_words_with_labels_once(answered, django_capture_on_commit_callbacks):
    """A target category nobody is in: the reason names it by its label, with no Python repr, shown in the
    scheme's row only; the page's messages do not repeat it on later loads."""
    client = login(answered.analyst)
    margins = "channel,web,0.5\nchannel,api,0.3\nchannel,intercept,0.2"  # every response came by web link
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(
            f"/surveys/{answered.survey.id}/weighting/", {"name": "Channels", "margins": margins, "unmatched": "keep"}
        )
    assert posted.status_code == 302
    scheme = WeightingScheme.objects.get()
    assert scheme.status == "failed"
    error = scheme.diagnostics["error"]
    assert error.startswith("Channel: no respondent is in the target categories “API”, “Interviewer intercept”, so")
    assert "'" not in error and "[" not in error
    first = client.get(posted["Location"]).content.decode()
    assert first.count(error) == 1
    assert '<ul class="messages"><li class="success">Weighting scheme saved' in first
    later = client.get(posted["Location"]).content.decode()
    assert later.count(error) == 1 and 'class="messages"' not in later


def test_categories_without_a_target_show_channel_labels(answered, django_capture_on_commit_callbacks):
    client = login(answered.analyst)
    for _ in range(3):
        response_submit(submission=Submission(survey=answered.survey, language="en", unit=answered.store_a,
                                              channel="intercept"),
                        raw_answers={"store_experience": 4, "did_buy": "yes", "nps": 9, "gender": "male"})  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, answered, unmatched="keep", margins="channel,intercept,1")
    html = client.get(f"/surveys/{answered.survey.id}/weighting/").content.decode()
    assert WeightingScheme.objects.get().status == "ready"
    assert "Channel: Web link (100)" in html and "web (100)" not in html


def test_delete_and_replace(answered, django_capture_on_commit_callbacks):
    client = login(answered.analyst)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, answered, unmatched="exclude")
    scheme = WeightingScheme.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        page = _upload(client, answered, unmatched="keep", replace=scheme.id)
    assert page.status_code == 302
    scheme.refresh_from_db()
    assert WeightingScheme.objects.count() == 1 and scheme.unmatched == "keep" and scheme.status == "ready"
    assert ResponseWeight.objects.filter(scheme=scheme).count() == 100
    assert client.get(f"/weighting/{scheme.id}/delete/").status_code == 405
    assert login(answered.manager_a).post(f"/weighting/{scheme.id}/delete/").status_code == 403
    deleted = client.post(f"/weighting/{scheme.id}/delete/")
    assert deleted.status_code == 302 and deleted["Location"] == f"/surveys/{answered.survey.id}/weighting/"
    assert not WeightingScheme.objects.exists() and not ResponseWeight.objects.exists()
    assert client.post(f"/weighting/{scheme.id}/delete/").status_code == 404


@pytest.mark.parametrize(
    ("language", "expected"),
    [("hr", "Nepoznato u datoteci s udjelima: age_group nema kategoriju “99+”"),
     ("it", "Sconosciuto nel file dei margini: age_group non ha la categoria “99+”")],
)  # fmt: skip
def test_margins_errors_and_saved_messages_are_in_the_analysts_language(world, language, expected):
    from django.utils import translation

    world.analyst.language = language
    world.analyst.save(update_fields=["language"])
    client = login(world.analyst)
    bad = "age_group,18-24,0.5\nage_group,99+,0.5"
    page = client.post(f"/surveys/{world.survey.id}/weighting/", {"name": "x", "margins": bad})
    text = page.content.decode()
    assert page.status_code == 422
    assert expected in text
    too_many = client.post(f"/surveys/{world.survey.id}/weighting/", {"name": "x", "margins": "gender,female,0.5"})
    assert {"hr": "ne u 1", "it": "non a 1"}[language] in too_many.content.decode()
    translation.deactivate()
