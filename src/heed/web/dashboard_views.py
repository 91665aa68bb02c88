"""The results dashboard: headline metrics with intervals, breakdowns, trend, and comments."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from heed.accounts.models import User
from heed.accounts.permissions import can_design_surveys, can_view_results
from heed.analytics.selectors import metric_rows, metric_summary
from heed.analytics.weighting import weighting_scheme_get, weighting_scheme_list, weighting_unweighted_count
from heed.responses.selectors import ResponseFilters, comment_list
from heed.surveys.selectors import survey_list
from heed.textanalytics.selectors import comment_text, staff_summary, theme_summary
from heed.web.access import role_required
from heed.web.filter_errors import filter_error_page
from heed.web.forms import ResponseFilterForm

GROUPS = [
    ("unit", "Unit"),
    ("channel", "Channel"),
    ("language", "Language"),
    ("age_group", "Age group"),
    ("touchpoint", "Touchpoint"),
]


class DashboardFilterForm(ResponseFilterForm):
    survey = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    group_by = forms.ChoiceField(choices=GROUPS, required=False)
    trend = forms.ChoiceField(choices=[("month", "Month"), ("week", "Week")], required=False)
    weighting = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Weighting")
    field_order = ["survey", "unit", "channel", "language", "date_from", "date_to", "group_by", "trend", "weighting"]

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["survey"].choices = [("", "All surveys")] + [
            (s.id, s.title) for s in survey_list(organisation=user.organisation)
        ]
        schemes = weighting_scheme_list(user=user).filter(status="ready").select_related("survey")
        self.fields["weighting"].choices = [("", "Unweighted")] + [
            (scheme.id, f"{scheme.name} ({scheme.survey.title})") for scheme in schemes
        ]


def _comments(user: User, filters: ResponseFilters) -> list[dict]:
    answers = (
        comment_list(user=user, filters=filters, limit=30)
        .select_related("annotation")
        .prefetch_related("annotation__themes")
    )
    return [{"answer": a, "text": comment_text(user, a), "annotation": getattr(a, "annotation", None)} for a in answers]


@role_required(can_view_results)
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = DashboardFilterForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return filter_error_page(request, form, "Customer voice")
    data = form.cleaned_data if form.is_bound else {}
    filters = form.response_filters(survey_id=data.get("survey"))
    scheme = weighting_scheme_get(user=user, scheme_id=data["weighting"]) if data.get("weighting") else None
    if scheme is not None and filters.survey_id != scheme.survey_id:
        filters = filters.model_copy(update={"survey_id": scheme.survey_id})  # weights belong to one survey
    group_by = data.get("group_by") or "unit"
    trend_by = data.get("trend") or "month"
    summary = metric_summary(user=user, filters=filters, scheme=scheme)
    rows = sorted(metric_rows(user=user, dimension=group_by, filters=filters, scheme=scheme), key=lambda r: r.label)
    trend = metric_rows(user=user, dimension=trend_by, filters=filters, scheme=scheme)
    context = {
        "form": form,
        "summary": summary,
        "rows": rows,
        "group_by": dict(GROUPS)[group_by],
        "trend": trend,
        "trend_by": trend_by,
        "trend_data": [row.as_dict() for row in trend],
        "comments": _comments(user, filters),
        "themes": theme_summary(user=user, filters=filters),
        "staff": staff_summary(user=user, filters=filters, limit=10),
        "scheme": scheme,
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
    return redirect("admin:index") if user.is_staff else render(request, "heed/no_access.html", status=403)
