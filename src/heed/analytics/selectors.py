"""Headline metrics (NPS, CSAT, CES) aggregated in the database, with 95% intervals.

This is the one query path for these numbers: the dashboard and the API both call
``metric_summary``/``metric_rows``/``metric_grid``. The database returns sufficient statistics
per group (counts, sums, sums of squares) -- from the daily rollups (``analytics.rollups``) when
the grouping and filters allow, else from the responses -- and ``heed.stats`` turns them into
estimates. No response is loaded into Python. Each metric reads only the survey versions whose
metric question means what it means in the version analysed (``headline_pooling``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal, get_args

from django.db.models import Case, Count, DateField, F, FloatField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, TruncMonth, TruncWeek
from django.utils.translation import gettext

from heed.accounts.selectors import organisation_id_of, unit_names
from heed.analytics.freshness import rollups_pending
from heed.analytics.models import DailyRollup, ResponseWeight, WeightingScheme
from heed.analytics.rollups import SUFFICIENT_STATISTICS
from heed.core.errors import ApplicationError
from heed.core.labels import value_label
from heed.responses.filter_spec import filters_rollup_q, filters_rollups_serve
from heed.responses.selectors import ResponseFilters, response_queryset, scoped_unit_ids
from heed.stats.comparisons import benjamini_hochberg, mean_difference_from_sums
from heed.stats.intervals import Estimate, mean, nps_adjusted_wald, proportion
from heed.stats.reliability import MEAN_POLICY, NPS_POLICY, SHARE_POLICY, Policy, reliability
from heed.stats.weighting import (
    WeightedSums,
    weighted_mean_from_sums,
    weighted_nps_from_sums,
    weighted_proportion_from_sums,
)
from heed.surveys.definition import METRICS
from heed.surveys.selectors import VersionPooling, metric_versions_by_survey, option_labels, pooling_reason_label

if TYPE_CHECKING:
    from heed.accounts.models import User

Dimension = Literal["unit", "channel", "language", "age_group", "gender", "touchpoint", "week", "month"]
DIMENSIONS: tuple[str, ...] = get_args(Dimension)

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
    nps_sums: WeightedSums = WeightedSums(0, 0.0, 0.0, 0.0, 0.0, 0.0)  # of y = +1/0/-1, for comparisons
    nps_vs_rest: str = ""  # "higher" / "lower" than all other groups together, after BH correction
    effective_n: dict[str, float] | None = None  # per figure when weighted (Kish); else each figure's n
    weighted: bool = False

    @property
    def reliability(self) -> dict[str, str]:
        """ok / flagged / suppressed for each figure, by the small-sample policy (heed.stats.reliability)."""
        return {
            name: reliability(effective_n=self.effective_n_of(name), low=getattr(self, name).low,
                              high=getattr(self, name).high, policy=policy).value
            for name, (policy, _digits) in _FIGURES.items()
        }  # fmt: skip

    def effective_n_of(self, name: str) -> float:
        return self.effective_n[name] if self.effective_n is not None else float(getattr(self, name).n)

    def as_dict(self, *, rounded: bool = True) -> dict[str, Any]:
        """The row as the API gives it: each figure's value and interval rounded to its ``FIGURE_DIGITS``, the
        effective n to ``EFFECTIVE_N_DIGITS``; with ``rounded=False`` the full values, so that whoever shows them
        rounds once, to its own precision (the typed outputs, ``MetricRowOut``, round when serialised)."""
        key = self.key.isoformat() if isinstance(self.key, dt.date | dt.datetime) else self.key
        out: dict[str, Any] = {"key": key, "label": self.label, "responses": self.responses}
        marks = self.reliability
        for name, (_policy, digits) in _FIGURES.items():
            estimate: Estimate = getattr(self, name)
            if marks[name] == "suppressed":  # too few answers: no value and no interval, only n
                estimate = estimate.suppressed()
            effective_n = self.effective_n_of(name)
            out[name] = (
                estimate.as_dict(digits)
                if rounded
                else {"value": estimate.value, "n": estimate.n, "low": estimate.low, "high": estimate.high}
            ) | {
                "effective_n": round(effective_n, EFFECTIVE_N_DIGITS) if rounded else effective_n,
                "reliability": marks[name],
            }
        out["nps"]["vs_rest"] = self.nps_vs_rest
        out["weighted"] = self.weighted
        return out


_FIGURES: dict[str, tuple[Policy, int]] = {
    "nps": (NPS_POLICY, 1),
    "csat_top2": (SHARE_POLICY, 3),
    "csat_mean": (MEAN_POLICY, 2),
    "ces_mean": (MEAN_POLICY, 2),
}
FIGURE_DIGITS: dict[str, int] = {name: digits for name, (_policy, digits) in _FIGURES.items()}  # the API's precision
EFFECTIVE_N_DIGITS = 1


def _row(key: Any, label: str, agg: dict[str, Any]) -> MetricRow:
    return MetricRow(
        key=key,
        label=label,
        responses=agg["responses"],
        nps=nps_adjusted_wald(promoters=agg["nps_pro"], detractors=agg["nps_det"], n=agg["nps_n"]),
        nps_sums=WeightedSums(
            n=agg["nps_n"],
            sw=agg["nps_n"],
            sw2=agg["nps_n"],
            swy=agg["nps_pro"] - agg["nps_det"],
            sw2y=agg["nps_pro"] - agg["nps_det"],
            sw2y2=agg["nps_pro"] + agg["nps_det"],
        ),  # fmt: skip
        csat_top2=proportion(successes=agg["csat_top2"], n=agg["csat_n"]),
        csat_mean=mean(n=agg["csat_n"], total=float(agg["csat_sum"] or 0), total_sq=float(agg["csat_sq"] or 0)),
        ces_mean=mean(n=agg["ces_n"], total=float(agg["ces_sum"] or 0), total_sq=float(agg["ces_sq"] or 0)),
    )


def _sums(agg: dict[str, Any], prefix: str, n_field: str) -> WeightedSums:
    return WeightedSums(
        n=agg[n_field], sw=agg[f"{prefix}_sw"] or 0.0, sw2=agg[f"{prefix}_sw2"] or 0.0, swy=agg[f"{prefix}_swy"] or 0.0,
        sw2y=agg[f"{prefix}_sw2y"] or 0.0, sw2y2=agg[f"{prefix}_sw2y2"] or 0.0,
    )  # fmt: skip


def _weighted_row(key: Any, label: str, agg: dict[str, Any]) -> MetricRow:
    """A row from weighted sums: linearization intervals, Wilson on Kish's effective n (heed.stats.weighting)."""
    nps_sums = _sums(agg, "nps", "nps_n")
    top2_sums = _sums(agg, "top2", "csat_n")
    estimates = {
        "nps": weighted_nps_from_sums(nps_sums), "csat_top2": weighted_proportion_from_sums(top2_sums),
        "csat_mean": weighted_mean_from_sums(_sums(agg, "csat", "csat_n")),
        "ces_mean": weighted_mean_from_sums(_sums(agg, "ces", "ces_n")),
    }  # fmt: skip
    return MetricRow(
        key=key, label=label, responses=agg["responses"], nps_sums=nps_sums, weighted=True,
        effective_n={name: e.effective_n for name, e in estimates.items()},
        nps=estimates["nps"].estimate, csat_top2=estimates["csat_top2"].estimate,
        csat_mean=estimates["csat_mean"].estimate, ces_mean=estimates["ces_mean"].estimate,
    )  # fmt: skip


def _weighted_sums(prefix: str, value: Any, present: Q) -> dict[str, Any]:
    """SUMs giving n, sum w, sum w^2, sum w y, sum w^2 y, sum w^2 y^2 for one variable y."""
    w, w2 = F("weight"), F("weight") * F("weight")
    return {
        f"{prefix}_sw": Sum(w, filter=present), f"{prefix}_sw2": Sum(w2, filter=present),
        f"{prefix}_swy": Sum(w * value, filter=present), f"{prefix}_sw2y": Sum(w2 * value, filter=present),
        f"{prefix}_sw2y2": Sum(w2 * value * value, filter=present),
    }  # fmt: skip


_NPS_Y = Case(
    When(response__nps_score__gte=9, then=Value(1.0)), When(response__nps_score__lte=6, then=Value(-1.0)),
    default=Value(0.0), output_field=FloatField(),
)  # fmt: skip
_TOP2_Y = Case(When(response__csat_score__gte=4, then=Value(1.0)), default=Value(0.0), output_field=FloatField())


def _only(excluded: dict[str, frozenset[int]], metric: str, prefix: str, condition: Q | None = None) -> Q | None:
    """``condition`` restricted to responses whose version's ``metric`` means what the analysed version's does."""
    if excluded.get(metric):
        comparable = ~Q(**{f"{prefix}version_id__in": sorted(excluded[metric])})
        return comparable if condition is None else condition & comparable
    return condition


def _weighted_aggregates(excluded: dict[str, frozenset[int]]) -> dict[str, Any]:
    def present(metric: str) -> Q:
        return _only(excluded, metric, "response__", Q(**{f"response__{metric}_score__isnull": False}))  # type: ignore[return-value]

    return {
        "responses": Count("id"),
        "nps_n": Count("response__nps_score", filter=present("nps")),
        "csat_n": Count("response__csat_score", filter=present("csat")),
        "ces_n": Count("response__ces_score", filter=present("ces")),
        **_weighted_sums("nps", _NPS_Y, present("nps")),
        **_weighted_sums("top2", _TOP2_Y, present("csat")),
        **_weighted_sums("csat", Cast("response__csat_score", FloatField()), present("csat")),
        **_weighted_sums("ces", Cast("response__ces_score", FloatField()), present("ces")),
    }


def _response_statistics(excluded: dict[str, frozenset[int]]) -> dict[str, Any]:
    """``SUFFICIENT_STATISTICS`` of the responses, each metric read only from its comparable versions."""
    if not any(excluded.values()):
        return SUFFICIENT_STATISTICS

    def only(metric: str, condition: Q | None = None) -> Q | None:
        return _only(excluded, metric, "", condition)

    return {
        "responses": Count("id"),
        "nps_n": Count("nps_score", filter=only("nps")),
        "nps_pro": Count("id", filter=only("nps", Q(nps_score__gte=9))),
        "nps_det": Count("id", filter=only("nps", Q(nps_score__lte=6))),
        "csat_n": Count("csat_score", filter=only("csat")),
        "csat_top2": Count("id", filter=only("csat", Q(csat_score__gte=4))),
        "csat_sum": Sum("csat_score", default=0, filter=only("csat")),
        "csat_sq": Sum(F("csat_score") * F("csat_score"), default=0, filter=only("csat")),
        "ces_n": Count("ces_score", filter=only("ces")),
        "ces_sum": Sum("ces_score", default=0, filter=only("ces")),
        "ces_sq": Sum(F("ces_score") * F("ces_score"), default=0, filter=only("ces")),
    }


@dataclass(frozen=True)
class HeadlinePooling:
    """Which versions of each survey in view the headline metrics pool (``metric_versions_by_survey``)."""

    surveys: dict[int, tuple[str, dict[str, VersionPooling]]]

    @property
    def excluded(self) -> dict[str, frozenset[int]]:
        """Per metric, the ids of versions whose score means something else than in the analysed version."""
        return {
            metric: frozenset().union(*(poolings[metric].excluded_ids for _title, poolings in self.surveys.values()))
            for metric in METRICS
        }

    def as_list(self) -> list[dict[str, Any]]:
        return [
            {"survey_id": sid, "survey_title": title, "metrics": [p.as_dict() for p in poolings.values()]}
            for sid, (title, poolings) in sorted(self.surveys.items())
        ]


def version_notes(versions: Sequence[Any]) -> list[str]:
    """``HeadlinePooling.notes`` from its typed form (``MetricsOut.versions``): one sentence per survey and metric
    that leaves versions out, for pages, in the active language (gettext; the reasons through
    ``surveys.selectors.pooling_reason_label``). The survey title is customer text: templates escape it."""
    out = []
    for survey in versions:
        for p in survey.metrics:
            left_out = [
                f"v{e.version} ({pooling_reason_label(e.reason)})" for e in p.excluded if e.reason != "not asked"
            ]
            if left_out:
                out.append(
                    gettext("%(survey)s: %(metric)s pools %(pooled)s (as in v%(reference)s); left out %(left_out)s.")
                    % {
                        "survey": survey.survey_title,
                        "metric": p.key.upper(),
                        "pooled": ", ".join(f"v{n}" for n in p.pooled),
                        "reference": p.reference_version,
                        "left_out": ", ".join(left_out),
                    }
                )
    return out


def headline_pooling(
    *, user: User, filters: ResponseFilters | None = None, version: int | None = None
) -> HeadlinePooling:
    """The versions the headline metrics may pool for the surveys in view (one survey with ``filters.survey_id``);
    ``version`` (with a survey) sets the version analysed, else each survey's latest."""
    filters = filters or ResponseFilters()
    if version is not None and filters.survey_id is None:
        raise ApplicationError("Give survey_id with version.", code="version_needs_survey")
    return HeadlinePooling(
        metric_versions_by_survey(
            organisation_id=organisation_id_of(user), survey_id=filters.survey_id, version=version
        )
    )


def _group_field(dimension: str, *, on_rollups: bool, prefix: str = "") -> tuple[str, Any]:
    """The value to group by: a plain field, or a period computed from the (local) day."""
    if dimension in ("week", "month"):
        if on_rollups:
            return dimension, None
        trunc = TruncWeek if dimension == "week" else TruncMonth
        return f"period_{dimension}", trunc(f"{prefix}submitted_at", output_field=DateField())
    field = "unit_id" if dimension == "unit" else dimension
    return field, (F(f"{prefix}{field}") if prefix else None)


def _labels(dimension: str, keys: list[Any], user: User, filters: ResponseFilters | None = None) -> dict[Any, str]:
    """What people read for each key: unit code and name, period, or a label from ``heed.core.labels``
    (channel, language, touchpoint) or from the surveys' definitions (age group options), never a raw key."""
    if dimension == "unit":
        units = unit_names(organisation_id=organisation_id_of(user), unit_ids=[k for k in keys if k])
        labels: dict[int | None, str] = {unit_id: f"{code} {name}" for unit_id, (code, name) in units.items()}
        labels[None] = "(no unit)"
        return labels
    if dimension in ("week", "month"):
        fmt = "%G-W%V" if dimension == "week" else "%Y-%m"
        return {k: k.strftime(fmt) for k in keys if k is not None}
    if dimension in ("age_group", "gender"):
        options = option_labels(
            organisation_id=organisation_id_of(user), language=user.language, question_type=dimension,
            survey_id=filters.survey_id if filters else None,
        )  # fmt: skip
        return {k: options.get(k) or value_label(dimension, k) for k in keys}
    return {k: value_label(dimension, k) for k in keys}


def _uses_rollups(filters: ResponseFilters, dimensions: tuple[str, ...]) -> bool:
    """Whether the rollups keep every grouping and every filter that is set (``heed.responses.filter_spec``: an
    allow-list, so a filter the rollups do not know sends the read to the responses). ``_grouped`` also reads the
    responses while a day in view waits for the worker (``rollups_pending``), so a read is exact and never writes."""
    return set(dimensions) <= ROLLUP_DIMENSIONS and filters_rollups_serve(filters)


def _rollup_queryset(user: User, filters: ResponseFilters) -> QuerySet[DailyRollup]:
    """Rollup rows for what ``user`` may see, narrowed as the filter spec says. Read only: the background worker
    keeps them current (``rollups_refresh``); callers check ``rollups_pending`` first."""
    rows = DailyRollup.objects.filter(organisation_id=organisation_id_of(user))
    units = scoped_unit_ids(user=user, filters=filters)
    if units is not None:
        rows = rows.filter(unit_id__in=units)
    return rows.filter(filters_rollup_q(filters))


def _grouped(
    user: User, dimensions: tuple[str, ...], filters: ResponseFilters | None, scheme: WeightingScheme | None = None,
    pooling: HeadlinePooling | None = None,
) -> tuple[list[dict], list]:  # fmt: skip
    """Sufficient statistics per combination of ``dimensions`` (none: one total row): weighted sums
    when a weighting scheme is given, else counts from the daily rollups when the grouping and filters allow
    and no day in view is pending, else straight from the responses. Each metric reads only the versions
    ``pooling`` allows (whose score means what it means in the analysed version); rollups, kept per survey,
    serve only when no version is left out."""
    filters = filters or ResponseFilters()
    excluded = (pooling or headline_pooling(user=user, filters=filters)).excluded
    on_rollups = (
        scheme is None
        and _uses_rollups(filters, dimensions)
        and not any(excluded.values())
        and not rollups_pending(organisation_id=organisation_id_of(user), filters=filters)
    )
    prefix = "response__" if scheme is not None else ""
    if scheme is not None:
        queryset: QuerySet = ResponseWeight.objects.filter(
            scheme=scheme, response__in=response_queryset(user=user, filters=filters)
        )
        aggregates = _weighted_aggregates(excluded)
    elif on_rollups:
        queryset, aggregates = _rollup_queryset(user, filters), _ROLLUP_SUMS
    else:
        queryset, aggregates = response_queryset(user=user, filters=filters), _response_statistics(excluded)
    if not dimensions:
        total = queryset.aggregate(**aggregates)
        return [{name: total[name] or 0 for name in aggregates}], []
    fields = []
    for dimension in dimensions:
        field, expression = _group_field(dimension, on_rollups=on_rollups, prefix=prefix)
        if expression is not None:
            queryset = queryset.annotate(**{field: expression})
        fields.append(field)
    grouped = list(queryset.order_by().values(*fields).annotate(**aggregates).order_by(*fields))
    return grouped, fields


def metric_summary(
    *, user: User, filters: ResponseFilters | None = None, scheme: WeightingScheme | None = None,
    pooling: HeadlinePooling | None = None,
) -> MetricRow:  # fmt: skip
    """Headline metrics of the responses in view; ``pooling`` (default: ``headline_pooling``) says which versions
    each metric may read."""
    (total,), _fields = _grouped(user, (), filters, scheme, pooling)
    return (_weighted_row if scheme else _row)(None, "All", total)


def metric_rows(
    *, user: User, dimension: str, filters: ResponseFilters | None = None, scheme: WeightingScheme | None = None,
    pooling: HeadlinePooling | None = None,
) -> list[MetricRow]:  # fmt: skip
    """Metrics per value of ``dimension`` (unit, channel, language, age group, gender, touchpoint, week or month)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    grouped, (field,) = _grouped(user, (dimension,), filters, scheme, pooling)
    labels = _labels(dimension, [g[field] for g in grouped], user, filters)
    build = _weighted_row if scheme else _row
    rows = [build(g[field], labels.get(g[field], str(g[field])), g) for g in grouped]
    return rows if dimension in ("week", "month") else _mark_nps_vs_rest(rows)


def metric_grid(
    *, user: User, dimensions: tuple[str, str], filters: ResponseFilters | None = None,
    scheme: WeightingScheme | None = None, pooling: HeadlinePooling | None = None,
) -> list[tuple[Any, Any, MetricRow]]:  # fmt: skip
    """Metrics per pair of values, e.g. ``("unit", "month")``: NPS with its interval per store per month."""
    if not set(dimensions) <= set(DIMENSIONS) or len(dimensions) != 2:
        raise ValueError(f"give two of {', '.join(DIMENSIONS)}")
    grouped, fields = _grouped(user, dimensions, filters, scheme, pooling)
    build = _weighted_row if scheme else _row
    labels = [_labels(d, [g[f] for g in grouped], user, filters) for d, f in zip(dimensions, fields, strict=True)]
    out = []
    for g in grouped:
        first, second = (labels[i].get(g[f], str(g[f])) for i, f in enumerate(fields))
        out.append((g[fields[0]], g[fields[1]], build((g[fields[0]], g[fields[1]]), f"{first} / {second}", g)))
    return out


def _mark_nps_vs_rest(rows: list[MetricRow], *, alpha: float = 0.05) -> list[MetricRow]:
    """Mark groups whose NPS differs from all other groups together, controlling the false
    discovery rate over the comparisons (Benjamini-Hochberg), so that with forty stores on a
    page a manager is not shown two "significant" stores by chance. Suppressed groups (effective
    n < 30) are not tested. The z test uses each side's (linearization) variance, so it is the
    test of ``heed.stats.comparisons.nps_difference`` unweighted and its weighted analogue."""
    total = WeightedSums(*(sum(getattr(r.nps_sums, f) for r in rows) for f in WeightedSums.__dataclass_fields__))
    tested: list[tuple[int, float, float]] = []
    for index, row in enumerate(rows):
        group = row.nps_sums
        rest = WeightedSums(*(getattr(total, f) - getattr(group, f) for f in WeightedSums.__dataclass_fields__))
        if row.reliability["nps"] == "suppressed" or rest.n < 30 or rest.sw <= 0:
            continue
        diff, p_value = mean_difference_from_sums(group, rest)
        tested.append((index, diff, p_value))
    if not tested:
        return rows
    _q, significant = benjamini_hochberg([p for _i, _d, p in tested], alpha=alpha)
    marked = list(rows)
    for (index, value, _p), hit in zip(tested, significant, strict=True):
        if hit:
            marked[index] = replace(rows[index], nps_vs_rest="higher" if value > 0 else "lower")
    return marked
