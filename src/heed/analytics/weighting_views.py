"""Weighting schemes of a survey: upload population margins, see how the weights came out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from heed.accounts.permissions import can_design_surveys
from heed.accounts.selectors import organisation_of
from heed.analytics.forms import SchemeForm
from heed.analytics.models import WeightingScheme
from heed.analytics.weighting import (
    WEIGHTING_VARIABLES,
    category_label,
    targets_from_csv,
    weighting_categories,
    weighting_category_labels,
    weighting_scheme_create,
    weighting_scheme_delete,
    weighting_scheme_get,
    weighting_scheme_list,
    weighting_scheme_recompute,
    weighting_scheme_replace,
    weighting_schemes_stale,
)
from heed.core.errors import ApplicationError
from heed.surveys.selectors import survey_get
from heed.web.access import role_required

if TYPE_CHECKING:
    from heed.accounts.models import User

designer_required = role_required(can_design_surveys)


@designer_required
def survey_weighting(request: HttpRequest, survey_id: int) -> HttpResponse:
    """List the survey's schemes with their diagnostics; POST creates or replaces one (then redirects)."""
    user: User = request.user  # type: ignore[assignment]
    survey = survey_get(organisation=organisation_of(user), survey_id=survey_id)
    if survey is None:
        raise Http404
    schemes = list(weighting_scheme_list(user=user, survey_id=survey.id))
    form = SchemeForm(request.POST or None, request.FILES or None, schemes=schemes)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lower, upper = data.get("trim_lower"), data.get("trim_upper")
        trim = (lower, upper) if lower and upper else None
        unmatched = data.get("unmatched") or WeightingScheme.Unmatched.EXCLUDE
        try:
            targets = targets_from_csv(form.margins_text(), known=weighting_categories(survey=survey))
            if data.get("replace"):
                scheme = next(s for s in schemes if s.id == data["replace"])
                weighting_scheme_replace(scheme=scheme, name=data["name"], targets=targets, trim=trim,
                                         unmatched=unmatched)  # fmt: skip
                done = gettext("Weighting scheme %(name)s replaced; weights are being computed.") % {
                    "name": scheme.name
                }
            else:
                weighting_scheme_create(survey=survey, name=data["name"], targets=targets, created_by=user,
                                        trim=trim, unmatched=unmatched)  # fmt: skip
                done = gettext("Weighting scheme saved; weights are being computed.")
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect("survey-weighting", survey_id=survey.id)
    if form.errors:
        status = 422
    labels = weighting_category_labels(survey=survey)
    stale = weighting_schemes_stale(scheme_ids=[s.id for s in schemes])
    return render(request, "analytics/weighting.html", {
        "survey": survey, "form": form, "schemes": [_row(s, labels, stale=s.id in stale) for s in schemes],
        "variables": list(WEIGHTING_VARIABLES),
    }, status=status)  # fmt: skip


def _row(scheme: WeightingScheme, labels: dict[str, dict[str, str]], *, stale: bool = False) -> dict:
    """A scheme with its diagnostics read defensively: a failed or old scheme lacks most of them. Categories
    without a target are shown by their labels (answer options, channels, languages, units), never their keys.
    ``stale``: a review changed its responses and it is being weighed again."""
    d = scheme.diagnostics if isinstance(scheme.diagnostics, dict) else {}
    unmatched = u if isinstance(u := d.get("unmatched"), dict) else {}
    categories = c if isinstance(c := unmatched.get("categories"), dict) else {}
    return {
        "scheme": scheme, "d": d, "error": d.get("error") or "", "stale": stale,
        "unmatched_policy": scheme.get_unmatched_display(),
        "unmatched_respondents": unmatched.get("respondents", 0),
        "unmatched_categories": [
            (variable, ", ".join(f"{category_label(labels, variable, c)} ({n})" for c, n in cats.items()))
            for variable, cats in categories.items() if isinstance(cats, dict)
        ],
    }  # fmt: skip


def _scheme_or_404(request: HttpRequest, scheme_id: int) -> WeightingScheme:
    scheme = weighting_scheme_get(user=request.user, scheme_id=scheme_id)  # type: ignore[arg-type]
    if scheme is None:
        raise Http404
    return scheme


@designer_required
@require_POST
def weighting_recompute(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = _scheme_or_404(request, scheme_id)
    weighting_scheme_recompute(scheme=scheme)
    messages.success(request, gettext("Recomputing the weights of {name}.").format(name=scheme.name))
    return redirect("survey-weighting", survey_id=scheme.survey_id)


@designer_required
@require_POST
def weighting_delete(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = _scheme_or_404(request, scheme_id)
    survey_id, name = scheme.survey_id, scheme.name
    weighting_scheme_delete(scheme=scheme)
    messages.success(request, gettext("Weighting scheme {name} deleted.").format(name=name))
    return redirect("survey-weighting", survey_id=survey_id)
