"""Headline metrics (NPS, CSAT, CES) aggregated in the database, with 95% intervals.

This is the one query path for these numbers: the dashboard and the API both call
``metric_summary``/``metric_rows``/``metric_grid``. The database returns sufficient statistics
per group (counts, sums, sums of squares) -- from the daily rollups (``analytics.rollups``) when
the grouping and filters allow, else from the responses -- and ``heed.stats`` turns them into
estimates. No response is loaded into Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Literal

from django.db.models import DateField, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek

from heed.accounts.models import Unit, User
from heed.analytics.models import DailyRollup, RollupDirtyDay
from heed.analytics.rollups import SUFFICIENT_STATISTICS, rollups_refresh
from heed.responses.selectors import ResponseFilters, response_queryset, scoped_unit_ids
from heed.stats.comparisons import benjamini_hochberg, nps_difference
from heed.stats.intervals import Estimate, mean, nps_adjusted_wald, proportion
from heed.stats.reliability import MEAN_POLICY, NPS_POLICY, SHARE_POLICY, Policy, reliability

Dimension = Literal["unit", "channel", "language", "age_group", "touchpoint", "week", "month"]
DIMENSIONS: tuple[str, ...] = Dimension.__args__  # type: ignore[attr-defined]

# Summing rollup rows gives the same sufficient statistics as aggregating the responses.
_ROLLUP_SUMS = {name: Sum(name) for name in SUFFICIENT_STATISTICS}
ROLLUP_DIMENSIONS = {"unit", "channel", "language", "week", "month"}


@dataclass(frozen=True)
class MetricRow:
    key: Any
    label: str
    responses: int
    nps: Estimate
    csat_top2: Estimate
    csat_mean: Estimate
    ces_mean: Estimate
    nps_counts: tuple[int, int, int] = (0, 0, 0)  # promoters, detractors, n
    nps_vs_rest: str = ""  # "higher" / "lower" than all other groups together, after BH correction

    @property
    def reliability(self) -> dict[str, str]:
        """ok / flagged / suppressed for each figure, by the small-sample policy (heed.stats.reliability)."""
        return {name: _assess(getattr(self, name), policy) for name, (policy, _digits) in _FIGURES.items()}

    def as_dict(self) -> dict[str, Any]:
        key = self.key.isoformat() if isinstance(self.key, dt.date | dt.datetime) else self.key
        out: dict[str, Any] = {"key": key, "label": self.label, "responses": self.responses}
        marks = self.reliability
        for name, (_policy, digits) in _FIGURES.items():
            estimate: Estimate = getattr(self, name)
            out[name] = estimate.as_dict(digits) | {"effective_n": float(estimate.n), "reliability": marks[name]}
        out["nps"]["vs_rest"] = self.nps_vs_rest
        return out


_FIGURES: dict[str, tuple[Policy, int]] = {
    "nps": (NPS_POLICY, 1),
    "csat_top2": (SHARE_POLICY, 3),
    "csat_mean": (MEAN_POLICY, 2),
    "ces_mean": (MEAN_POLICY, 2),
}


def _assess(estimate: Estimate, policy: Policy) -> str:
    # Unweighted figures: the effective sample size is n (weighting lowers it by Kish's design effect).
    return reliability(effective_n=estimate.n, low=estimate.low, high=estimate.high, policy=policy).value


def _row(key: Any, label: str, agg: dict[str, Any]) -> MetricRow:
    return MetricRow(
        key=key,
        label=label,
        responses=agg["responses"],
        nps=nps_adjusted_wald(promoters=agg["nps_pro"], detractors=agg["nps_det"], n=agg["nps_n"]),
        nps_counts=(agg["nps_pro"], agg["nps_det"], agg["nps_n"]),
        csat_top2=proportion(successes=agg["csat_top2"], n=agg["csat_n"]),
        csat_mean=mean(n=agg["csat_n"], total=float(agg["csat_sum"] or 0), total_sq=float(agg["csat_sq"] or 0)),
        ces_mean=mean(n=agg["ces_n"], total=float(agg["ces_sum"] or 0), total_sq=float(agg["ces_sq"] or 0)),
    )


def _group_field(dimension: str, *, on_rollups: bool) -> tuple[str, Any]:
    """The value to group by: a plain field, or a period computed from the (local) day."""
    if dimension in ("week", "month"):
        if on_rollups:
            return dimension, None
        trunc = TruncWeek if dimension == "week" else TruncMonth
        return f"period_{dimension}", trunc("submitted_at", output_field=DateField())
    return ("unit_id" if dimension == "unit" else dimension), None


def _labels(dimension: str, keys: list[Any], user: User) -> dict[Any, str]:
    if dimension == "unit":
        units = Unit.objects.filter(organisation_id=user.organisation_id, id__in=[k for k in keys if k])
        labels = {unit.id: f"{unit.code} {unit.name}" for unit in units}
        labels[None] = "(no unit)"
        return labels
    if dimension in ("week", "month"):
        fmt = "%G-W%V" if dimension == "week" else "%Y-%m"
        return {k: k.strftime(fmt) for k in keys if k is not None}
    return {k: (k or "(none)") for k in keys}


def _uses_rollups(filters: ResponseFilters, dimensions: tuple[str, ...]) -> bool:
    return set(dimensions) <= ROLLUP_DIMENSIONS and not (filters.touchpoint or filters.age_group)


def _rollup_queryset(user: User, filters: ResponseFilters) -> QuerySet[DailyRollup]:
    """Rollup rows for what ``user`` may see; brought up to date first, so reads are always exact."""
    if RollupDirtyDay.objects.filter(survey__organisation_id=user.organisation_id).exists():
        rollups_refresh()
    rows = DailyRollup.objects.filter(organisation_id=user.organisation_id)
    units = scoped_unit_ids(user=user, filters=filters)
    if units is not None:
        rows = rows.filter(unit_id__in=units)
    if filters.survey_id is not None:
        rows = rows.filter(survey_id=filters.survey_id)
    for name in ("channel", "language"):
        if value := getattr(filters, name):
            rows = rows.filter(**{name: value})
    if filters.date_from is not None:
        rows = rows.filter(day__gte=filters.date_from)
    if filters.date_to is not None:
        rows = rows.filter(day__lte=filters.date_to)
    return rows


def _grouped(user: User, dimensions: tuple[str, ...], filters: ResponseFilters | None) -> tuple[list[dict], list]:
    """Sufficient statistics per combination of ``dimensions`` (none: one total row), from the
    daily rollups when the filters allow, else straight from the responses."""
    filters = filters or ResponseFilters()
    on_rollups = _uses_rollups(filters, dimensions)
    queryset: QuerySet = (
        _rollup_queryset(user, filters) if on_rollups else response_queryset(user=user, filters=filters)
    )
    aggregates = _ROLLUP_SUMS if on_rollups else SUFFICIENT_STATISTICS
    if not dimensions:
        total = queryset.aggregate(**aggregates)
        return [{name: total[name] or 0 for name in aggregates}], []
    fields = []
    for dimension in dimensions:
        field, expression = _group_field(dimension, on_rollups=on_rollups)
        if expression is not None:
            queryset = queryset.annotate(**{field: expression})
        fields.append(field)
    grouped = list(queryset.order_by().values(*fields).annotate(**aggregates).order_by(*fields))
    return grouped, fields


def metric_summary(*, user: User, filters: ResponseFilters | None = None) -> MetricRow:
    (total,), _fields = _grouped(user, (), filters)
    return _row(None, "All", total)


def metric_rows(*, user: User, dimension: str, filters: ResponseFilters | None = None) -> list[MetricRow]:
    """Metrics per value of ``dimension`` (unit, channel, language, age group, week or month)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    grouped, (field,) = _grouped(user, (dimension,), filters)
    labels = _labels(dimension, [g[field] for g in grouped], user)
    rows = [_row(g[field], labels.get(g[field], str(g[field])), g) for g in grouped]
    return rows if dimension in ("week", "month") else _mark_nps_vs_rest(rows)


def metric_grid(
    *, user: User, dimensions: tuple[str, str], filters: ResponseFilters | None = None
) -> list[tuple[Any, Any, MetricRow]]:
    """Metrics per pair of values, e.g. ``("unit", "month")``: NPS with its interval per store per month."""
    if not set(dimensions) <= set(DIMENSIONS) or len(dimensions) != 2:
        raise ValueError(f"give two of {', '.join(DIMENSIONS)}")
    grouped, fields = _grouped(user, dimensions, filters)
    labels = [_labels(d, [g[f] for g in grouped], user) for d, f in zip(dimensions, fields, strict=True)]
    out = []
    for g in grouped:
        first, second = (labels[i].get(g[f], str(g[f])) for i, f in enumerate(fields))
        out.append((g[fields[0]], g[fields[1]], _row((g[fields[0]], g[fields[1]]), f"{first} / {second}", g)))
    return out


def _mark_nps_vs_rest(rows: list[MetricRow], *, alpha: float = 0.05) -> list[MetricRow]:
    """Mark groups whose NPS differs from all other groups together, controlling the false
    discovery rate over the comparisons (Benjamini-Hochberg), so that with forty stores on a
    page a manager is not shown two "significant" stores by chance. Suppressed groups (n < 30)
    are not tested."""
    total_pro = sum(r.nps_counts[0] for r in rows)
    total_det = sum(r.nps_counts[1] for r in rows)
    total_n = sum(r.nps_counts[2] for r in rows)
    tested: list[tuple[int, float, float]] = []
    for index, row in enumerate(rows):
        pro, det, n = row.nps_counts
        if row.reliability["nps"] == "suppressed" or total_n - n < 30:
            continue
        diff = nps_difference(
            promoters_a=pro,
            detractors_a=det,
            n_a=n,
            promoters_b=total_pro - pro,
            detractors_b=total_det - det,
            n_b=total_n - n,
        )
        tested.append((index, diff.value, diff.p_value))
    if not tested:
        return rows
    _q, significant = benjamini_hochberg([p for _i, _d, p in tested], alpha=alpha)
    marked = list(rows)
    for (index, value, _p), hit in zip(tested, significant, strict=True):
        if hit:
            marked[index] = replace(rows[index], nps_vs_rest="higher" if value > 0 else "lower")
    return marked
