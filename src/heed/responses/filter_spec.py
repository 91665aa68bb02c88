"""The one declarative spec of the response filters: how each is read from the responses and from the rollups.

``ResponseFilters`` (``heed.responses.selectors``) gives each filter its name, type and bounds; this spec says,
for every one of its fields, how the raw path narrows ``Response`` rows and how (if at all) the daily rollups
(``heed.analytics.models.DailyRollup``) can: a filter with ``rollup=None`` is one the rollups cannot serve, so a
read with it set goes to the responses. The two sides are read from here by ``response_queryset`` and by the
analytics rollup path, and the module refuses to load when a field of ``ResponseFilters`` has no entry, so a new
filter can never be silently ignored on one path.

Unit filters are applied by both paths through the caller's unit scope (``scoped_unit_ids``: a unit includes
the units below it, and a unit-scoped role sees only its units), so the spec marks them ``scope=True``.

A filter may also narrow the responses when it is *not* set (``raw_unset``): ``review_state`` left unset leaves
out rejected responses (``COUNTED``), on the raw path by that condition and on the rollup path because the rollups
are built from the counted responses only (``heed.analytics.rollups``); set, it reads exactly that state (``all``:
every state, rejected included) from the responses, since the rollups keep only the default view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from heed.responses.models import ReviewState

Lookup = Callable[[Any], Q]


def day_start(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in the configured time zone (HEED_TIME_ZONE); the rollups use the same days."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class FilterField:
    """One filter: ``raw`` narrows ``Response`` rows; ``rollup`` narrows ``DailyRollup`` rows (``None``: the rollups
    do not keep this attribute); ``scope`` filters go through the unit scope on both paths."""

    name: str
    raw: Lookup | None
    rollup: Lookup | None
    scope: bool = False
    raw_unset: Q | None = None  # the raw condition while the filter is not set (the rollups hold that view)

    @property
    def rollups_serve(self) -> bool:
        return self.scope or self.rollup is not None


def _equal(field: str) -> Lookup:
    return lambda value: Q(**{field: value})


REVIEW_STATE_ALL = "all"


def counted_through(prefix: str = "") -> Q:
    """The responses figures count unless a review_state filter says otherwise: every state but rejected.
    ``prefix`` reaches the response through a relation of another model (``"response__"`` from a row that
    points at one, such as a quota membership)."""
    return ~Q(**{f"{prefix}review_state": ReviewState.REJECTED})


COUNTED = counted_through()


def _review_state(value: str) -> Q:
    return Q() if value == REVIEW_STATE_ALL else Q(review_state=value)


FILTER_SPEC: dict[str, FilterField] = {
    spec.name: spec
    for spec in (
        FilterField("survey_id", raw=_equal("survey_id"), rollup=_equal("survey_id")),
        FilterField("unit_id", raw=None, rollup=None, scope=True),
        FilterField("channel", raw=_equal("channel"), rollup=_equal("channel")),
        FilterField("language", raw=_equal("language"), rollup=_equal("language")),
        FilterField("touchpoint", raw=_equal("touchpoint"), rollup=None),
        FilterField("age_group", raw=_equal("age_group"), rollup=None),
        FilterField(
            "date_from",
            raw=lambda day: Q(submitted_at__gte=day_start(day)),
            rollup=lambda day: Q(day__gte=day),
        ),
        FilterField(
            "date_to",
            raw=lambda day: Q(submitted_at__lt=day_start(day + dt.timedelta(days=1))),
            rollup=lambda day: Q(day__lte=day),
        ),
        FilterField("review_state", raw=_review_state, rollup=None, raw_unset=COUNTED),
    )
}


def filters_set(filters: Any) -> dict[str, Any]:
    """The filters given a value (``None`` and empty strings mean "not set"), by name."""
    return {name: value for name in FILTER_SPEC if (value := getattr(filters, name)) not in (None, "")}


def filters_rollups_serve(filters: Any) -> bool:
    """Whether every filter that is set maps onto the rollups (an allow-list: an unmapped filter means no)."""
    return all(FILTER_SPEC[name].rollups_serve for name in filters_set(filters))


def filters_raw_q(filters: Any) -> Q:
    """The ``Response`` condition of every set filter (unit filters excepted: they are the unit scope), and the
    ``raw_unset`` condition of every filter that is not set (rejected responses are left out by default)."""
    condition = Q()
    chosen = filters_set(filters)
    for name, spec in FILTER_SPEC.items():
        if name in chosen:
            if spec.raw is not None:
                condition &= spec.raw(chosen[name])
        elif spec.raw_unset is not None:
            condition &= spec.raw_unset
    return condition


def filters_rollup_q(filters: Any) -> Q:
    """The ``DailyRollup`` condition of every set filter; raises ``ValueError`` when one cannot be served there
    (callers check ``filters_rollups_serve`` first)."""
    condition = Q()
    for name, value in filters_set(filters).items():
        spec = FILTER_SPEC[name]
        if spec.scope:
            continue
        if spec.rollup is None:
            raise ValueError(f"the rollups cannot serve the filter {name!r}")
        condition &= spec.rollup(value)
    return condition


def filter_spec_check(fields: Any) -> None:
    """Refuse a filter model whose fields and the spec differ (called when ``ResponseFilters`` is defined)."""
    missing, extra = set(fields) - set(FILTER_SPEC), set(FILTER_SPEC) - set(fields)
    if missing or extra:
        raise RuntimeError(
            f"heed.responses.filter_spec must describe every response filter: missing {sorted(missing)}, "
            f"unknown {sorted(extra)}"
        )
