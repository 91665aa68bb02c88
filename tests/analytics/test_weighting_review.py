"""Issue 10, point 4: review states in weighting. Rejected respondents are not weighted (a survey with one rejected
gives the weights of the survey without it), and a rejection, an approval of a rejected response or an edit marks
the survey's schemes out of date in the review's transaction; they are weighed again in the background after
commit (the reviewer's request never waits), or by the periodic reconciliation when that task was lost."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from heed.analytics import weighting
from heed.analytics.models import ResponseWeight, WeightingScheme, WeightingStaleMark
from heed.analytics.weighting import (
    weighting_scheme_compute,
    weighting_scheme_create,
    weighting_schemes_mark_stale,
    weighting_schemes_reconcile,
)
from heed.responses.models import Response
from heed.responses.services import response_delete, response_edit, response_review_set
from tests.analytics import test_weighting_metrics
from tests.analytics.test_weighting_metrics import _scheme
from tests.conftest import login

sample = test_weighting_metrics.sample  # the fixture: 103 respondents, young men over-represented


def _stale(scheme) -> bool:
    return WeightingStaleMark.objects.filter(scheme=scheme).exists()


def _weights(scheme) -> dict[int, float]:
    return dict(ResponseWeight.objects.filter(scheme=scheme).values_list("response_id", "weight"))


def _young_man(world) -> Response:
    """A respondent of the over-represented cell: leaving him out moves every weight."""
    return Response.objects.filter(survey=world.survey, age_group="18-24", gender="male").order_by("id").first()


def test_a_rejected_respondent_is_weighted_as_if_absent(sample, django_capture_on_commit_callbacks):
    rejected = _young_man(sample)
    with django_capture_on_commit_callbacks(execute=False):  # no recomputation: the scheme is computed below
        response_review_set(actor=sample.analyst, response=rejected, state="rejected", comment="not a customer")
    with_rejected = _scheme(sample)
    assert with_rejected.status == WeightingScheme.Status.READY
    assert (with_rejected.diagnostics["responses"], with_rejected.diagnostics["weighted"]) == (102, 99)
    weights = _weights(with_rejected)
    assert rejected.id not in weights

    response_delete(response=rejected)
    without = weighting_scheme_compute(scheme=WeightingScheme.objects.get(pk=with_rejected.pk))
    assert without.diagnostics["responses"] == 102
    assert _weights(without) == pytest.approx(weights, rel=1e-12)


def test_a_rejection_marks_the_scheme_and_the_weights_follow_after_commit(sample, django_capture_on_commit_callbacks):
    scheme = _scheme(sample)
    before = _weights(scheme)
    young = _young_man(sample)
    assert young.id in before and scheme.diagnostics["responses"] == 103

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response_review_set(actor=sample.analyst, response=young, state="rejected")
    scheme.refresh_from_db()
    # Durable with the review; the old weights stay in use (the scheme is still ready) until the new ones land.
    assert _stale(scheme) and scheme.status == WeightingScheme.Status.READY
    assert _weights(scheme) == before
    page = login(sample.analyst).get(f"/surveys/{sample.survey.id}/weighting/").content.decode()
    assert "responses were rejected, approved again or edited since these weights were computed" in page
    assert '<meta http-equiv="refresh"' in page  # the page refreshes until the new weights are stored
    for callback in queued:  # after commit: the (eager) background computation
        callback()
    page = login(sample.analyst).get(f"/surveys/{sample.survey.id}/weighting/").content.decode()
    assert "approved again or edited" not in page and '<meta http-equiv="refresh"' not in page
    scheme.refresh_from_db()
    assert not _stale(scheme) and scheme.status == WeightingScheme.Status.READY
    assert scheme.diagnostics["responses"] == 102 and young.id not in _weights(scheme)

    with django_capture_on_commit_callbacks(execute=True):
        response_review_set(actor=sample.analyst, response=young, state="approved")
    scheme.refresh_from_db()
    assert not _stale(scheme) and scheme.diagnostics["responses"] == 103
    assert _weights(scheme) == pytest.approx(before, rel=1e-9)


def test_an_edit_marks_the_scheme_and_an_approval_of_a_counted_response_does_not(
    sample, django_capture_on_commit_callbacks
):
    scheme = _scheme(sample)
    young = _young_man(sample)
    computed_at = scheme.computed_at
    with django_capture_on_commit_callbacks(execute=True):
        response_review_set(actor=sample.analyst, response=young, state="approved")
        response_review_set(actor=sample.analyst, response=young, state="has_issues")
    scheme.refresh_from_db()
    assert not _stale(scheme) and scheme.computed_at == computed_at  # still counted, same answers
    answers = {a.question_key: a.value for a in young.answers.all() if a.value is not None} | {"age_group": "35-44"}
    with django_capture_on_commit_callbacks(execute=True):
        response_edit(actor=sample.analyst, response=young, answers=answers)
    scheme.refresh_from_db()
    assert not _stale(scheme) and scheme.computed_at > computed_at
    assert Response.objects.get(pk=young.pk).age_group == "35-44"
    by_age: dict[str, float] = {}
    weights = _weights(scheme)
    total = sum(weights.values())
    for response_id, age in Response.objects.filter(id__in=weights).values_list("id", "age_group"):
        by_age[age] = by_age.get(age, 0) + weights[response_id] / total
    assert by_age == pytest.approx({"18-24": 0.2, "25-34": 0.3, "35-44": 0.5}, abs=1e-6)


def test_only_the_surveys_schemes_of_the_responses_organisation_are_marked(sample, django_capture_on_commit_callbacks):
    scheme = _scheme(sample)
    with django_capture_on_commit_callbacks(execute=False):
        assert weighting_schemes_mark_stale(organisation_id=sample.org.id + 1, survey_ids=[sample.survey.id]) == []
        assert weighting_schemes_mark_stale(organisation_id=sample.org.id, survey_ids=[sample.survey.id + 1]) == []
        assert weighting_schemes_mark_stale(organisation_id=sample.org.id, survey_ids=[sample.survey.id]) == [scheme.id]


def test_a_lost_recomputation_is_reconciled(sample, django_capture_on_commit_callbacks):
    scheme = _scheme(sample)
    young = _young_man(sample)
    with django_capture_on_commit_callbacks(execute=False):  # the worker died with the queued task
        response_review_set(actor=sample.analyst, response=young, state="rejected")
    assert weighting_schemes_reconcile() == 0  # within the grace period the queued task may still run
    later = timezone.now() + weighting.WEIGHTING_GRACE + dt.timedelta(seconds=1)
    assert weighting_schemes_reconcile(now=later) == 1
    scheme.refresh_from_db()
    assert not _stale(scheme) and young.id not in _weights(scheme)
    assert weighting_schemes_reconcile(now=later) == 0


def test_a_review_during_a_computation_keeps_the_mark_for_the_next_one(
    sample, django_capture_on_commit_callbacks, monkeypatch
):
    """A computation that read the responses before a review stores its weights but leaves the mark, so the
    computation the review queued runs; and a computation begun earlier never overwrites one begun later."""
    scheme = weighting_scheme_create(survey=sample.survey, name="Census", targets=_scheme(sample).targets,
                                     created_by=sample.analyst, compute_now=True)  # fmt: skip
    young = _young_man(sample)
    real = weighting.targets_for_sample

    def review_meanwhile(*args, **kwargs):
        monkeypatch.setattr(weighting, "targets_for_sample", real)
        with django_capture_on_commit_callbacks(execute=False):
            response_review_set(actor=sample.analyst, response=young, state="rejected")
        return real(*args, **kwargs)

    monkeypatch.setattr(weighting, "targets_for_sample", review_meanwhile)
    first = weighting_scheme_compute(scheme=WeightingScheme.objects.get(pk=scheme.pk))
    assert _stale(first) and young.id in _weights(first)  # read before the rejection
    started_early = first.computed_at - dt.timedelta(seconds=1)
    second = weighting_scheme_compute(scheme=WeightingScheme.objects.get(pk=scheme.pk))
    assert not _stale(second) and young.id not in _weights(second)
    fresh = _weights(second)
    # An older computation finishing last (begun before the one stored) leaves the stored weights alone.
    stored = weighting._computed_store(second, started_early, [], status=WeightingScheme.Status.READY,
                                       diagnostics={"responses": 0}, weights=[])  # fmt: skip
    assert stored.diagnostics["responses"] == 102 and _weights(second) == fresh


@pytest.mark.django_db(transaction=True)
def test_a_review_never_waits_for_a_computation_storing_its_weights(sample, monkeypatch):
    """PostgreSQL: while a computation holds the scheme's row lock to store its weights, a rejection commits at
    once (its stale mark references the scheme, which ``FOR NO KEY UPDATE`` allows); the computation then leaves
    that mark for the one the review queued."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers: there is no row lock to wait for")
    world = sample
    scheme = _scheme(world)
    young = _young_man(world)
    holding, release = threading.Event(), threading.Event()
    real_weight = weighting.ResponseWeight

    class StoringSlowly:
        """``ResponseWeight`` for the computation's thread, whose insert waits until the review is done."""

        class objects:  # noqa: N801
            filter = staticmethod(real_weight.objects.filter)

            @staticmethod
            def bulk_create(*args, **kwargs):
                holding.set()
                release.wait(30)
                return real_weight.objects.bulk_create(*args, **kwargs)

        def __new__(cls, **fields):
            return real_weight(**fields)

    monkeypatch.setattr(weighting, "ResponseWeight", StoringSlowly)
    monkeypatch.setattr(weighting, "enqueue_soon", lambda *args, **kwargs: True)  # the review's task: not here

    def compute() -> None:
        try:
            weighting_scheme_compute(scheme=WeightingScheme.objects.get(pk=scheme.pk))
        finally:
            connection.close()

    thread = threading.Thread(target=compute)
    thread.start()
    try:
        assert holding.wait(30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")  # waiting on the computation's lock would fail here
        try:
            response_review_set(actor=world.analyst, response=young, state="rejected")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")
        assert _stale(scheme)
    finally:
        release.set()
        thread.join(60)
    assert _stale(scheme) and young.id in _weights(scheme)  # computed from before the review: the mark stays
    monkeypatch.setattr(weighting, "ResponseWeight", real_weight)
    weighting_scheme_compute(scheme=WeightingScheme.objects.get(pk=scheme.pk))
    assert not _stale(scheme) and young.id not in _weights(scheme)


def test_deleting_a_respondent_marks_the_scheme_and_the_weights_follow_after_commit(
    sample, django_capture_on_commit_callbacks
):
    """Erasure on request: the deleted respondent's weight goes with them; the others are weighed again after
    commit, as if the respondent had never answered."""
    scheme = _scheme(sample)
    young = _young_man(sample)
    assert young.id in _weights(scheme)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response_delete(response=young)
    scheme.refresh_from_db()
    assert _stale(scheme) and scheme.status == WeightingScheme.Status.READY
    for callback in queued:
        callback()
    scheme.refresh_from_db()
    assert not _stale(scheme) and scheme.diagnostics["responses"] == 102
    fresh = weighting_scheme_compute(scheme=WeightingScheme.objects.get(pk=scheme.pk))
    assert _weights(scheme) == pytest.approx(_weights(fresh), rel=1e-12)
