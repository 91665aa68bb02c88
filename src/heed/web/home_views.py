"""The home page: sends each person to the first page their role may use."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from heed.accounts.permissions import can_design_surveys, can_view_results


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if can_view_results(user):
        return redirect("dashboard")
    if can_design_surveys(user):
        return redirect("surveys")
    return redirect("admin:index") if user.is_superuser else render(request, "heed/no_access.html", status=403)
