"""The results dashboard: headline metrics with intervals, breakdowns, trend, and comments."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel

from heed.accounts.permissions import can_view_results
from heed.analytics.forms import GROUPS, DashboardFilterForm
from heed.analytics.queries import MetricsQuery, TrendQuery, run_query
from heed.analytics.queries.schema import AnalyticsQuery
from heed.analytics.schemas import MetricsOut, TrendOut
from heed.analytics.selectors import version_notes
from heed.analytics.trend_chart import trend_chart
from heed.analytics.weighting import weighting_scope
from heed.core.errors import ApplicationError
from heed.core.labels import dimension_label
from heed.textanalytics.comment_selectors import CommentFilters, comment_page, drilldown_query
from heed.textanalytics.queries import StaffMentionsOut, StaffMentionsQuery, ThemesOut, ThemesQuery
from heed.web.access import role_required
from heed.web.filter_errors import filter_error_page

if TYPE_CHECKING:
    from heed.accounts.models import User

# Breakdowns whose rows link to the comment list filtered to that row.
DRILLABLE = {"unit", "channel", "language"}
LATEST_COMMENTS = 10
Out = TypeVar("Out", bound=BaseModel)


@role_required(can_view_results)
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = DashboardFilterForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return filter_error_page(request, form, _("Customer voice"))
    data = form.cleaned_data if form.is_bound else {}
    scheme, survey_from_weighting = None, False
    if data.get("weighting"):
        try:  # the one weighting-to-survey rule, shared with the API (heed.analytics.weighting.weighting_scope)
            weighting = weighting_scope(user=user, scheme_id=data["weighting"], survey_id=data.get("survey"))
        except ApplicationError as exc:  # e.g. another survey's scheme: refuse, never swap the survey silently
            return render(request, "analytics/dashboard_refused.html", {"form": form, "error": exc.message},
                          status=exc.status_code)  # fmt: skip
        scheme, survey_from_weighting = weighting.scheme, weighting.survey_from_weighting
        if survey_from_weighting:  # the scheme's survey is used, and the page says so
            params = request.GET.copy()
            params["survey"] = str(scheme.survey_id)
            form = DashboardFilterForm(params, user=user)
            data = form.cleaned_data if form.is_valid() else data | {"survey": scheme.survey_id}
    filters = form.response_filters(survey_id=scheme.survey_id if scheme else data.get("survey"))
    group_by = data.get("group_by") or "unit"
    trend_by = data.get("trend") or "month"
    source = data.get("source") or None
    weighting_id = scheme.id if scheme else None
    # Every figure comes from a query kind through the one runner (scoping, caching), as the API's do.
    metrics = _run(MetricsQuery(filters=filters, group_by=group_by, weighting=weighting_id), user, MetricsOut)
    trend = _run(TrendQuery(filters=filters, interval=trend_by, weighting=weighting_id), user, TrendOut)
    themes = _run(ThemesQuery(filters=filters, source=source), user, ThemesOut)
    staff = _run(StaffMentionsQuery(filters=filters, limit=10, source=source), user, StaffMentionsOut)
    comment_query = drilldown_query(data | {"survey": filters.survey_id})
    context = {
        "form": form,
        "summary": metrics.summary,
        "rows": sorted(metrics.rows, key=lambda r: r.label),
        "group_by": str(dict(GROUPS)[group_by]),
        "drill": group_by if group_by in DRILLABLE else "",
        "trend": trend.rows,
        "trend_by": trend_by,
        "trend_data": trend_chart([row.model_dump(mode="json") for row in trend.rows]),
        "comments": comment_page(
            user=user, filters=filters, page_size=LATEST_COMMENTS, comment_filters=CommentFilters(source=source)
        ),
        "comment_query": comment_query,
        "themes": themes,
        "staff": staff.mentions,
        "scheme": scheme,
        "survey_from_weighting": survey_from_weighting,
        "pooled_versions": _pooled(metrics, filters.survey_id),
        "version_notes": version_notes(metrics.versions),
        "weighting_variables": [dimension_label(name) for name in (scheme.targets if scheme else {})],
        "freshness": metrics.freshness,
        "unweighted": metrics.weighting.unweighted_responses if metrics.weighting else 0,
    }
    return render(request, "analytics/dashboard.html", context)


def _run(query: AnalyticsQuery, user: User, output: type[Out]) -> Out:
    result = run_query(query, user=user).result
    assert isinstance(result, output)  # the kind's registered output
    return result


def _pooled(metrics: MetricsOut, survey_id: int | None) -> list[int] | None:
    """The version numbers any headline metric of the chosen survey pools (``None`` without a survey)."""
    if survey_id is None:
        return None
    numbers = {n for s in metrics.versions if s.survey_id == survey_id for m in s.metrics for n in m.pooled}
    return sorted(numbers) or None
