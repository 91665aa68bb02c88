"""The results dashboard: headline metrics with intervals, breakdowns, trend, and comments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from heed.accounts.permissions import can_view_results
from heed.accounts.selectors import organisation_id_of
from heed.analytics.forms import GROUPS, DashboardFilterForm
from heed.analytics.freshness import figures_freshness
from heed.analytics.selectors import headline_pooling, metric_rows, metric_summary
from heed.analytics.trend_chart import trend_chart
from heed.analytics.weighting import (
    weighting_scope,
    weighting_unweighted_count,
)
from heed.core.errors import ApplicationError
from heed.core.labels import dimension_label
from heed.textanalytics.comment_selectors import CommentFilters, comment_page, drilldown_query
from heed.textanalytics.selectors import staff_summary, theme_summary
from heed.web.access import role_required
from heed.web.filter_errors import filter_error_page

if TYPE_CHECKING:
    from heed.accounts.models import User

# Breakdowns whose rows link to the comment list filtered to that row.
DRILLABLE = {"unit", "channel", "language"}
LATEST_COMMENTS = 10


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
    pooling = headline_pooling(user=user, filters=filters)  # once for the cards, the breakdown and the trend
    summary = metric_summary(user=user, filters=filters, scheme=scheme, pooling=pooling)
    rows = sorted(
        metric_rows(user=user, dimension=group_by, filters=filters, scheme=scheme, pooling=pooling),
        key=lambda r: r.label,
    )
    trend = metric_rows(user=user, dimension=trend_by, filters=filters, scheme=scheme, pooling=pooling)
    comment_query = drilldown_query(data | {"survey": filters.survey_id})
    context = {
        "form": form,
        "summary": summary,
        "rows": rows,
        "group_by": str(dict(GROUPS)[group_by]),
        "drill": group_by if group_by in DRILLABLE else "",
        "trend": trend,
        "trend_by": trend_by,
        "trend_data": trend_chart([row.as_dict() for row in trend]),
        "comments": comment_page(
            user=user, filters=filters, page_size=LATEST_COMMENTS, comment_filters=CommentFilters(source=source)
        ),
        "comment_query": comment_query,
        "themes": theme_summary(user=user, filters=filters, source=source),
        "staff": staff_summary(user=user, filters=filters, limit=10, source=source),
        "scheme": scheme,
        "survey_from_weighting": survey_from_weighting,
        "pooled_versions": pooling.versions().get(filters.survey_id) if filters.survey_id else None,
        "version_notes": pooling.notes(),
        "weighting_variables": [dimension_label(name) for name in (scheme.targets if scheme else {})],
        "freshness": figures_freshness(organisation_id=organisation_id_of(user), filters=filters),
        "unweighted": weighting_unweighted_count(user=user, scheme=scheme, filters=filters) if scheme else 0,
    }
    return render(request, "analytics/dashboard.html", context)
