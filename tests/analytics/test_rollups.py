"""Daily rollups always equal a full recomputation: new, late and deleted responses, time zones."""

import datetime as dt
import random

import pytest

from heed.analytics import selectors
from heed.analytics.models import DailyRollup, RollupDirtyDay
from heed.analytics.rollups import rollups_rebuild, rollups_refresh
from heed.analytics.selectors import metric_grid, metric_rows, metric_summary
from heed.responses.models import Response
from heed.responses.services import Submission, response_delete, response_submit
from heed.surveys.services import survey_create, survey_publish

FIELDS = ("survey_id", "day", "unit_id", "channel", "language", "responses", "nps_n", "nps_pro", "nps_det",
          "csat_n", "csat_top2", "csat_sum", "csat_sq", "ces_n", "ces_sum", "ces_sq")  # fmt: skip


def _snapshot() -> list[tuple]:
    return sorted(DailyRollup.objects.values_list(*FIELDS), key=repr)


def _rebuilt() -> list[tuple]:
    rollups_rebuild()
    return _snapshot()


@pytest.fixture
def surveys(world):
    tx = survey_create(
        organisation=world.org, title="tx", created_by=None, template_key="transaction_csat", languages=["en", "it"]
    )
    survey_publish(survey=tx, actor=None)
    ces = survey_create(
        organisation=world.org, title="ces", created_by=None, template_key="ces", languages=["en", "it"]
    )
    survey_publish(survey=ces, actor=None)
    return tx, ces


def _submit_random(world, surveys, rng, count, *, base=dt.datetime(2026, 6, 1, tzinfo=dt.UTC)):
    tx, ces = surveys
    for _ in range(count):
        survey = rng.choice(surveys)
        when = base + dt.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 23), minutes=rng.randint(0, 59))
        answers = {"csat": rng.randint(1, 5), "nps": rng.randint(0, 10)} if survey is tx else {"ces": rng.randint(1, 7)}
        response_submit(
            submission=Submission(
                survey=survey,
                language=rng.choice(["en", "it"]),
                channel=rng.choice(["web", "qr"]),
                unit=rng.choice([world.store_a, world.store_b, None]),
                submitted_at=when,
            ),
            raw_answers=answers,
        )


def test_incremental_refresh_equals_full_recomputation(world, surveys):
    rng = random.Random(5)
    _submit_random(world, surveys, rng, 120)
    assert RollupDirtyDay.objects.exists()
    rollups_refresh()
    assert not RollupDirtyDay.objects.exists()
    incremental = _snapshot()
    assert sum(row[5] for row in incremental) == 120
    assert incremental == _rebuilt()

    # late responses (months back), more of today's, and deletions
    _submit_random(world, surveys, rng, 30, base=dt.datetime(2026, 1, 10, tzinfo=dt.UTC))
    _submit_random(world, surveys, rng, 30)
    for response in Response.objects.order_by("?")[:25]:
        response_delete(response=response)
    rollups_refresh()
    incremental = _snapshot()
    assert sum(row[5] for row in incremental) == 155
    assert incremental == _rebuilt()


def test_deleting_every_response_of_a_day_removes_its_rollups(world, surveys):
    tx, _ = surveys
    when = dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC)
    response, _ = response_submit(
        submission=Submission(survey=tx, language="en", submitted_at=when), raw_answers={"csat": 4}
    )
    rollups_refresh()
    assert DailyRollup.objects.filter(day=dt.date(2026, 3, 3)).count() == 1
    response_delete(response=response)
    rollups_refresh()
    assert not DailyRollup.objects.filter(day=dt.date(2026, 3, 3)).exists()


def test_refresh_keeps_marks_it_did_not_handle(world, surveys):
    rng = random.Random(9)
    _submit_random(world, surveys, rng, 10)
    marks = RollupDirtyDay.objects.count()
    assert rollups_refresh(limit=3) >= 1
    assert RollupDirtyDay.objects.count() == marks - 3
    rollups_refresh()
    assert _snapshot() == _rebuilt()


def test_refresh_runs_after_commit(world, surveys, django_capture_on_commit_callbacks):
    tx, _ = surveys
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(submission=Submission(survey=tx, language="en"), raw_answers={"csat": 5})
    assert not RollupDirtyDay.objects.exists()
    assert DailyRollup.objects.get().csat_top2 == 1


@pytest.mark.parametrize("time_zone", ["UTC", "Europe/Rome", "America/New_York"])
def test_days_follow_the_configured_time_zone(world, surveys, settings, time_zone):
    settings.TIME_ZONE = time_zone
    tx, _ = surveys
    late_evening_utc = dt.datetime(2026, 4, 30, 23, 30, tzinfo=dt.UTC)  # 1 May in Rome, 30 April in New York
    response_submit(
        submission=Submission(survey=tx, language="en", submitted_at=late_evening_utc), raw_answers={"csat": 3}
    )
    rollups_refresh()
    expected = {"UTC": dt.date(2026, 4, 30), "Europe/Rome": dt.date(2026, 5, 1),
                "America/New_York": dt.date(2026, 4, 30)}[time_zone]  # fmt: skip
    assert DailyRollup.objects.get().day == expected
    assert _snapshot() == _rebuilt()
    month = metric_rows(user=world.analyst, dimension="month")
    assert [row.label for row in month] == [expected.strftime("%Y-%m")]


@pytest.mark.parametrize("dimension", ["unit", "channel", "language", "week", "month"])
def test_metrics_from_rollups_equal_metrics_from_responses(world, surveys, monkeypatch, dimension):
    _submit_random(world, surveys, random.Random(2), 150)
    rollups_refresh()  # the background worker's job: reads never refresh (else they read the responses)
    from_rollups = [row.as_dict() for row in metric_rows(user=world.analyst, dimension=dimension)]
    summary = metric_summary(user=world.manager_a).as_dict()
    grid = [(a, b, row.as_dict()) for a, b, row in metric_grid(user=world.analyst, dimensions=("unit", dimension))]
    monkeypatch.setattr(selectors, "ROLLUP_DIMENSIONS", set())  # force the raw path
    assert [row.as_dict() for row in metric_rows(user=world.analyst, dimension=dimension)] == from_rollups
    assert metric_summary(user=world.manager_a).as_dict() == summary
    raw_grid = [(a, b, row.as_dict()) for a, b, row in metric_grid(user=world.analyst, dimensions=("unit", dimension))]
    assert raw_grid == grid
