"""The audit log page: every change to users, units, staff lists and responses, filterable, for admins."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from heed.accounts.permissions import can_manage_organisation
from heed.governance.forms import AuditFilterForm
from heed.governance.selectors import audit_actor_names, audit_event_list
from heed.web.access import role_required
from heed.web.filter_errors import filter_error_page

PAGE_SIZE = 50
admin_only = role_required(can_manage_organisation)


@admin_only
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():  # no events under filters that did not all validate
        return filter_error_page(request, form, gettext("Audit log"))
    filters = form.filters() if form.is_bound else None
    events = audit_event_list(user=request.user, filters=filters).select_related(None)  # type: ignore[arg-type]
    page = Paginator(events, PAGE_SIZE).get_page(form.cleaned_data.get("page") if form.is_bound else None)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "actors": audit_actor_names(user=request.user),  # type: ignore[arg-type]
               "query": query.urlencode()}  # fmt: skip
    return render(request, "governance/audit.html", context)
