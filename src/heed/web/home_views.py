"""The home page: sends each person to the first page their role may use: results for those who read them,
surveys for designers, the interviewer's assignments (``/fieldwork/mine/``, where the offline app is reached)
for interviewers, the call lists (``/calls/``) for support and phone agents."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from heed.accounts.permissions import can_design_surveys, can_submit_responses, can_view_results


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if can_view_results(user):
        return redirect("dashboard")
    if can_design_surveys(user):
        return redirect("surveys")
    if getattr(user, "organisation_id", None) and can_submit_responses(user):
        return redirect("fieldwork-mine" if user.role == "interviewer" else "cati-lists")
    return redirect("admin:index") if user.is_superuser else render(request, "heed/no_access.html", status=403)
