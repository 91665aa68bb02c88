"""The comment list: every comment the user may read, filtered and paged, with drill-down from the dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from heed.accounts.permissions import can_see_personal_data, can_view_results
from heed.textanalytics.comment_selectors import DEFAULT_PAGE_SIZE, comment_page
from heed.textanalytics.forms import CommentFilterForm
from heed.web.access import role_required
from heed.web.filter_errors import filter_error_page

if TYPE_CHECKING:
    from heed.accounts.models import User


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
    return render(request, "textanalytics/comments.html", context)
