"""The key driver page: which rating questions move NPS or satisfaction, and where to act first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext_lazy as _

from heed.accounts.permissions import can_view_results
from heed.analytics.drivers import driver_setup
from heed.analytics.forms import DriverForm
from heed.analytics.queries import DriversQuery, run_query
from heed.core.errors import ApplicationError, NotFoundError
from heed.stats.drivers import KEY_STRENGTH, KEY_WEAKNESS, QUADRANT_ACTIONS, SECONDARY_STRENGTH, SECONDARY_WEAKNESS
from heed.web.access import role_required
from heed.web.filter_errors import filter_error_page

if TYPE_CHECKING:
    from heed.accounts.models import User

POLL_SECONDS = 2

QUADRANTS = [
    (label, QUADRANT_ACTIONS[label], where)
    for label, where in (
        (KEY_WEAKNESS, _("high importance, low performance")),
        (KEY_STRENGTH, _("high importance, high performance")),
        (SECONDARY_WEAKNESS, _("low importance, low performance")),
        (SECONDARY_STRENGTH, _("low importance, high performance")),
    )
]


def _version(request: HttpRequest) -> int | None:
    """The ``version`` asked for (its questions decide what the analysis offers and pools); a bad value is left to
    the form, which reports it."""
    raw = request.GET.get("version", "")
    return int(raw) if raw.isdigit() and len(raw) < 9 else None


@role_required(can_view_results)
def survey_drivers(request: HttpRequest, survey_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        setup = driver_setup(user=user, survey_id=survey_id, version=_version(request))
    except NotFoundError:
        raise Http404 from None
    except ApplicationError as exc:
        form = DriverForm(user=user, setup=None)
        return render(
            request, "analytics/drivers.html", {"form": form, "error": exc.message, "survey": None}, status=400
        )

    initial = {"outcome": setup.default_outcome, "drivers": setup.default_drivers(setup.default_outcome)}
    # Filters carried over from the dashboard (survey, group_by, ...) are ignored; only our fields bind.
    bound = any(name in request.GET for name in DriverForm.base_fields)
    params = request.GET.copy()
    if bound and not params.getlist("drivers"):  # none ticked: all other ratings, and show them ticked
        params.setlist("drivers", setup.default_drivers(params.get("outcome") or setup.default_outcome))
    form = DriverForm(params if bound else None, initial=initial, user=user, setup=setup)
    context: dict = {"form": form, "survey": setup.survey, "quadrants": QUADRANTS, "analysis": None, "error": ""}
    if bound and not form.is_valid():  # nothing computed: only the form with its errors
        return filter_error_page(request, form, format_lazy(_("Key drivers: {title}"), title=setup.survey.title))
    data = form.cleaned_data if bound else {}
    filters = form.response_filters()
    outcome = data.get("outcome") or setup.default_outcome
    # Ticking the outcome as a driver too is a slip on this form (the API refuses it): leave it out.
    drivers = [key for key in data.get("drivers") or [] if key != outcome]
    query = DriversQuery(
        survey_id=setup.survey.id, outcome=outcome, drivers=tuple(drivers) or None, filters=filters,
        version=setup.version.number if setup.version and data.get("version") else None,
    )  # fmt: skip
    try:  # cached until the responses change; computed by the background worker (no request waits for it)
        outcome_of_query = run_query(query, user=user, background=True)
    except ApplicationError as exc:
        context["error"] = exc.message
        context["error_versions"] = exc.extra.get("versions")
        return render(request, "analytics/drivers.html", context, status=exc.status_code)
    if outcome_of_query.status == "computing":  # the page asks again every few seconds
        context["computing"] = True
        context["poll_seconds"] = POLL_SECONDS
        return render(request, "analytics/drivers.html", context)
    analysis = outcome_of_query.result.model_dump()  # type: ignore[union-attr]
    context["analysis"] = analysis
    context["rows"] = [  # importance as percentage points of the outcome's variance, for display
        d
        | {
            "explained": 100 * d["importance"],
            "explained_low": None if d["low"] is None else 100 * d["low"],
            "explained_high": None if d["high"] is None else 100 * d["high"],
        }
        for d in analysis["drivers"]
    ]
    context["chart"] = {
        "importance_split": analysis["importance_split"],
        "performance_split": analysis["performance_split"],
        "points": [
            {
                "key": d["key"],
                "text": d["text"],
                "short": Truncator(d["text"]).chars(28),  # the label next to the point
                "importance": d["percent"],
                "performance": d["performance"],
                "quadrant": d["quadrant"],
                "clear": d["quadrant_clear"],
            }
            for d in analysis["drivers"]
        ],
    }
    return render(request, "analytics/drivers.html", context)
