"""The comment list: every comment the user may read, filtered and paged, with drill-down from the dashboard."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from heed.accounts.models import User
from heed.accounts.permissions import can_see_personal_data, can_view_results
from heed.core.labels import SCORE_GROUPS, TONES
from heed.surveys.selectors import survey_list
from heed.textanalytics.comment_selectors import (
    DEFAULT_PAGE_SIZE,
    MAX_SEARCH_LENGTH,
    CommentFilters,
    comment_page,
    theme_names,
)
from heed.web.access import role_required
from heed.web.filter_errors import filter_error_page
from heed.web.forms import ResponseFilterForm

# The response filters a drill-down link carries over from the dashboard.
CARRIED = ("survey", "unit", "channel", "language", "date_from", "date_to")
MAX_PAGE = 100_000


class CommentFilterForm(ResponseFilterForm):
    survey = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    score = forms.ChoiceField(required=False, label=_("Score"), choices=[("", _("All scores")), *SCORE_GROUPS.items()])
    theme = forms.ChoiceField(required=False, label=_("Theme"))
    tone = forms.ChoiceField(required=False, label=_("Tone"), choices=[("", _("All tones")), *TONES.items()])
    q = forms.CharField(required=False, max_length=MAX_SEARCH_LENGTH, label=_("Text contains"), strip=True)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)
    field_order = ["survey", "unit", "channel", "language", "date_from", "date_to", "score", "theme", "tone", "q"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["survey"].choices = [("", _("All surveys"))] + [
            (s.id, s.title) for s in survey_list(organisation=user.organisation)
        ]
        names = theme_names(organisation_id=user.organisation_id, language=user.language)
        self.fields["theme"].choices = [("", _("All themes"))] + sorted(names.items(), key=lambda kv: kv[1].lower())

    def comment_filters(self) -> CommentFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return CommentFilters(
            score_group=data.get("score") or None, theme=data.get("theme") or None, tone=data.get("tone") or None,
            text=data.get("q") or None,
        )  # fmt: skip


def drilldown_query(data: dict[str, Any] | None, **overrides: Any) -> QueryDict:
    """The comment list's query for the dashboard's current filters, with ``overrides`` (e.g. theme=key)."""
    query = QueryDict(mutable=True)
    for name in CARRIED:
        value = (data or {}).get(name)
        if value not in (None, ""):
            query[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    for name, value in overrides.items():
        if value not in (None, ""):
            query[name] = str(value)
    return query


@role_required(can_view_results)
def comments(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = CommentFilterForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():  # no rows under filters that did not all validate
        return filter_error_page(request, form, _("Comments"))
    data = form.cleaned_data if form.is_bound else {}
    result = comment_page(
        user=user, filters=form.response_filters(survey_id=data.get("survey")),
        comment_filters=form.comment_filters(), page=data.get("page") or 1, page_size=DEFAULT_PAGE_SIZE,
    )  # fmt: skip
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form, "result": result, "query": query.urlencode(), "drill": query,
        "masked": not can_see_personal_data(user),
    }  # fmt: skip
    return render(request, "heed/comments.html", context)
