"""One declarative filter spec (heed.responses.filter_spec) drives the raw and the rollup path: the rollups serve a
read only when every filter set maps onto them, and then give the same figures as the responses."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heed.analytics import selectors
from heed.analytics.rollups import rollups_refresh
from heed.analytics.selectors import metric_grid, metric_rows, metric_summary
from heed.responses import filter_spec
from heed.responses.filter_spec import FILTER_SPEC, FilterField, filter_spec_check, filters_rollups_serve
from heed.responses.selectors import ResponseFilters
from tests.analytics.test_rollups import _submit_random, surveys  # noqa: F401  (fixture)


def test_every_response_filter_is_described_and_an_undescribed_one_is_refused():
    assert set(FILTER_SPEC) == set(ResponseFilters.model_fields)
    with pytest.raises(RuntimeError, match="missing \\['source'\\]"):
        filter_spec_check([*ResponseFilters.model_fields, "source"])


def test_the_rollups_serve_only_filters_that_map_onto_them(monkeypatch):
    assert filters_rollups_serve(ResponseFilters(channel="web", date_from=dt.date(2026, 6, 1), unit_id=3))
    assert not filters_rollups_serve(ResponseFilters(channel="web", touchpoint="till"))
    assert not filters_rollups_serve(ResponseFilters(age_group="18-24"))
    assert filters_rollups_serve(ResponseFilters(touchpoint=""))  # empty means not set
    # A filter the rollups do not keep (rollup=None) sends reads to the responses: an allow-list, not a deny-list.
    spec = dict(FILTER_SPEC) | {"channel": FilterField("channel", raw=FILTER_SPEC["channel"].raw, rollup=None)}
    monkeypatch.setattr(filter_spec, "FILTER_SPEC", spec)
    assert not filters_rollups_serve(ResponseFilters(channel="web"))
    assert filters_rollups_serve(ResponseFilters(language="en"))


def _figures(user, filters, dimension):
    rows = [row.as_dict() for row in metric_rows(user=user, dimension=dimension, filters=filters)]
    grid = [(a, b, row.as_dict()) for a, b, row in metric_grid(user=user, dimensions=("unit", dimension),
                                                               filters=filters)]  # fmt: skip
    return metric_summary(user=user, filters=filters).as_dict(), rows, grid


def _read_tables(user, filters, dimension) -> str:
    with CaptureQueriesContext(connection) as queries:
        metric_rows(user=user, dimension=dimension, filters=filters)
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"].upper()]
    assert len(grouped) == 1
    return "rollups" if "analytics_dailyrollup" in grouped[0] else "responses"


FILTER_CASES = {
    "survey": lambda world, tx: ResponseFilters(survey_id=tx.id),
    "unit": lambda world, tx: ResponseFilters(unit_id=world.store_a.id),
    "region": lambda world, tx: ResponseFilters(unit_id=world.region.id),
    "channel": lambda world, tx: ResponseFilters(channel="qr"),
    "language": lambda world, tx: ResponseFilters(language="it"),
    "dates": lambda world, tx: ResponseFilters(date_from=dt.date(2026, 6, 5), date_to=dt.date(2026, 6, 14)),
    "all": lambda world, tx: ResponseFilters(
        survey_id=tx.id, unit_id=world.store_b.id, channel="web", language="en", date_from=dt.date(2026, 6, 3)
    ),  # fmt: skip
}


@pytest.mark.parametrize("case", list(FILTER_CASES))
def test_filtered_figures_from_rollups_equal_figures_from_responses(world, surveys, monkeypatch, case):  # noqa: F811
    _submit_random(world, surveys, random.Random(11), 120)
    rollups_refresh()  # the worker's job; with days pending, reads go to the responses
    filters = FILTER_CASES[case](world, surveys[0])
    dimensions = ("unit", "channel", "language", "week", "month")
    assert [_read_tables(world.analyst, filters, d) for d in dimensions] == ["rollups"] * len(dimensions)
    from_rollups = [_figures(world.analyst, filters, d) for d in dimensions]
    manager = metric_summary(user=world.manager_a, filters=filters).as_dict()
    monkeypatch.setattr(selectors, "ROLLUP_DIMENSIONS", set())  # force the raw path
    assert [_read_tables(world.analyst, filters, d) for d in dimensions] == ["responses"] * len(dimensions)
    assert [_figures(world.analyst, filters, d) for d in dimensions] == from_rollups
    assert metric_summary(user=world.manager_a, filters=filters).as_dict() == manager
    assert from_rollups[0][0]["responses"] > 0


@pytest.mark.parametrize("filters", [ResponseFilters(touchpoint="till"), ResponseFilters(age_group="18-24"),
                                     ResponseFilters(channel="web", touchpoint="till")])  # fmt: skip
def test_filters_the_rollups_lack_are_read_from_the_responses(world, surveys, filters):  # noqa: F811
    _submit_random(world, surveys, random.Random(12), 40)
    rollups_refresh()
    assert _read_tables(world.analyst, filters, "channel") == "responses"
    assert metric_summary(user=world.analyst, filters=filters).responses == 0  # none has that touchpoint/age group
