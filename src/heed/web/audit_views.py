"""The audit log page: every change to users, units, staff lists and responses, filterable, for admins."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from heed.governance.selectors import audit_actor_names, audit_event_list
from heed.web.org_forms import AuditFilterForm
from heed.web.org_user_views import admin_only

PAGE_SIZE = 50


@admin_only
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    filters = form.filters() if request.GET and valid else None
    events = audit_event_list(user=request.user, filters=filters).select_related(None)  # type: ignore[arg-type]
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "actors": audit_actor_names(user=request.user),  # type: ignore[arg-type]
               "query": query.urlencode()}  # fmt: skip
    return render(request, "heed/org/audit.html", context, status=200 if valid else 400)
