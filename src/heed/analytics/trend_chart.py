"""The trend chart's data: NPS, CSAT and CES per period with their 95% intervals, and an axis fitted to them.

A fixed −100..100 axis makes a ten-point NPS movement look flat. Each metric's axis spans the
values and interval bands actually shown (suppressed periods are left out), padded by a tenth of
that span, widened to a minimum span so noise is not magnified, rounded outward to the metric's
step and never beyond the metric's own range (NPS −100..100, shares 0..100 %, CSAT 1..5, CES 1..7).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class TrendMetric:
    key: str  # the figure in MetricRow.as_dict()
    label: StrOrPromise
    low: float  # the metric's range, in display units
    high: float
    step: float  # axis bounds are multiples of this
    min_span: float  # never zoom in closer than this
    scale: float = 1.0  # display = value * scale (shares as percentages)


TREND_METRICS: tuple[TrendMetric, ...] = (
    TrendMetric("nps", "NPS", -100, 100, 5, 20),
    TrendMetric("csat_top2", _("CSAT top-2-box (% 4–5)"), 0, 100, 5, 10, scale=100),
    TrendMetric("csat_mean", _("CSAT mean (1–5)"), 1, 5, 0.1, 0.4),
    TrendMetric("ces_mean", _("CES mean (1–7)"), 1, 7, 0.1, 0.6),
)


def axis_range(
    values: Iterable[float | None], *, low: float, high: float, step: float, min_span: float, pad: float = 0.1
) -> tuple[float, float]:
    """Axis bounds that show every value with ``pad`` x span of room, within [low, high].

    >>> axis_range([30, 42], low=-100, high=100, step=5, min_span=20)
    (20.0, 50.0)
    """
    shown = [v for v in values if v is not None and math.isfinite(v)]
    if not shown:
        return float(low), float(high)
    lo, hi = min(shown), max(shown)
    span = max(hi - lo, min_span)
    middle = (lo + hi) / 2
    lo, hi = min(lo, middle - span / 2), max(hi, middle + span / 2)
    lo, hi = lo - pad * span, hi + pad * span
    lo = math.floor(round(lo / step, 9)) * step
    hi = math.ceil(round(hi / step, 9)) * step
    if lo < low:  # keep the span when one end hits the metric's range
        lo, hi = low, min(high, hi + (low - lo))
    if hi > high:
        lo, hi = max(low, lo - (hi - high)), high
    return round(lo, 6), round(hi, 6)


def trend_chart(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Chart data from ``MetricRow.as_dict()`` rows: per metric its label, axis and points (value, interval,
    n); suppressed periods have no point."""
    metrics = []
    for metric in TREND_METRICS:
        points = []
        for row in rows:
            figure = row[metric.key]
            shown = figure["reliability"] != "suppressed" and figure["value"] is not None
            points.append({
                name: (None if not shown or figure[name] is None else round(figure[name] * metric.scale, 3))
                for name in ("value", "low", "high")
            } | {"n": figure["n"], "reliability": figure["reliability"]})  # fmt: skip
        bands = [p[name] for p in points for name in ("value", "low", "high")]
        axis_low, axis_high = axis_range(
            bands, low=metric.low, high=metric.high, step=metric.step, min_span=metric.min_span
        )
        metrics.append({
            "key": metric.key, "label": metric.label, "min": axis_low, "max": axis_high,
            "shown": sum(p["value"] is not None for p in points), "points": points,
        })  # fmt: skip
    return {"labels": [row["label"] for row in rows], "metrics": metrics}
