"""The results dashboard: headline metrics with intervals, breakdowns, trend, and comments."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from heed.accounts.models import User
from heed.accounts.permissions import can_design_surveys, can_view_results
from heed.analytics.selectors import headline_pooling, metric_rows, metric_summary
from heed.analytics.weighting import (
    weighting_scheme_for_survey,
    weighting_scheme_list,
    weighting_unweighted_count,
)
from heed.core.errors import ApplicationError
from heed.core.labels import DIMENSIONS, dimension_label
from heed.surveys.selectors import survey_list
from heed.textanalytics.comment_selectors import comment_page
from heed.textanalytics.selectors import staff_summary, theme_summary
from heed.web.access import role_required
from heed.web.comment_views import drilldown_query
from heed.web.filter_errors import filter_error_page
from heed.web.forms import ResponseFilterForm
from heed.web.trend_chart import trend_chart

GROUPS = [(name, DIMENSIONS[name]) for name in ("unit", "channel", "language", "age_group", "gender", "touchpoint")]
# Breakdowns whose rows link to the comment list filtered to that row.
DRILLABLE = {"unit", "channel", "language"}
LATEST_COMMENTS = 10


class DashboardFilterForm(ResponseFilterForm):
    survey = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Survey"))
    group_by = forms.ChoiceField(choices=GROUPS, required=False, label=_("Group by"))
    trend = forms.ChoiceField(choices=[("month", DIMENSIONS["month"]), ("week", DIMENSIONS["week"])], required=False,
                              label=_("Trend"))  # fmt: skip
    weighting = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Weighting"))
    field_order = ["survey", "unit", "channel", "language", "date_from", "date_to", "group_by", "trend", "weighting"]

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["survey"].choices = [("", _("All surveys"))] + [
            (s.id, s.title) for s in survey_list(organisation=user.organisation)
        ]
        schemes = list(weighting_scheme_list(user=user).select_related("survey"))
        # Any scheme of the organisation parses, so that another survey's scheme (or one not ready) is refused with
        # a clear message (weighting_scheme_for_survey) rather than "not a valid choice"; the picker offers only
        # the selected survey's ready schemes (all ready ones, labelled with their survey, when none is selected).
        self.fields["weighting"].choices = [("", _("Unweighted"))] + [(s.id, s.name) for s in schemes]
        selected = self._selected_survey()
        offered = [s for s in schemes if s.status == "ready" and (selected is None or s.survey_id == selected)]
        self.fields["weighting"].widget.choices = [("", _("Unweighted"))] + [
            (s.id, s.name if selected is not None else f"{s.name} ({s.survey.title})") for s in offered
        ]

    def _selected_survey(self) -> int | None:
        raw = self.data.get("survey") if self.is_bound else None
        try:
            return int(raw) if raw else None
        except (TypeError, ValueError):
            return None


@role_required(can_view_results)
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = DashboardFilterForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return filter_error_page(request, form, _("Customer voice"))
    data = form.cleaned_data if form.is_bound else {}
    scheme, survey_from_weighting = None, False
    if data.get("weighting"):
        try:
            scheme = weighting_scheme_for_survey(user=user, scheme_id=data["weighting"], survey_id=data.get("survey"))
        except ApplicationError as exc:  # e.g. another survey's scheme: refuse, never swap the survey silently
            return render(request, "heed/dashboard_refused.html", {"form": form, "error": exc.message},
                          status=exc.status_code)  # fmt: skip
        if data.get("survey") is None:  # the scheme's survey is used, and the page says so
            survey_from_weighting = True
            params = request.GET.copy()
            params["survey"] = str(scheme.survey_id)
            form = DashboardFilterForm(params, user=user)
            data = form.cleaned_data if form.is_valid() else data | {"survey": scheme.survey_id}
    filters = form.response_filters(survey_id=scheme.survey_id if scheme else data.get("survey"))
    group_by = data.get("group_by") or "unit"
    trend_by = data.get("trend") or "month"
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
        "comments": comment_page(user=user, filters=filters, page_size=LATEST_COMMENTS),
        "comment_query": comment_query,
        "themes": theme_summary(user=user, filters=filters),
        "staff": staff_summary(user=user, filters=filters, limit=10),
        "scheme": scheme,
        "survey_from_weighting": survey_from_weighting,
        "pooled_versions": pooling.versions().get(filters.survey_id) if filters.survey_id else None,
        "version_notes": pooling.notes(),
        "weighting_variables": [dimension_label(name) for name in (scheme.targets if scheme else {})],
        "unweighted": weighting_unweighted_count(user=user, scheme=scheme, filters=filters) if scheme else 0,
    }
    return render(request, "heed/dashboard.html", context)


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if can_view_results(user):  # type: ignore[arg-type]
        return redirect("dashboard")
    if can_design_surveys(user):  # type: ignore[arg-type]
        return redirect("surveys")
    return redirect("admin:index") if user.is_superuser else render(request, "heed/no_access.html", status=403)
