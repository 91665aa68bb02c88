"""Weighting schemes of a survey: upload population margins, see how the weights came out."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from heed.accounts.models import User
from heed.accounts.permissions import can_design_surveys
from heed.analytics.weighting import (
    WEIGHTING_VARIABLES,
    targets_from_csv,
    weighting_scheme_create,
    weighting_scheme_get,
    weighting_scheme_list,
    weighting_scheme_recompute,
)
from heed.core.control_characters import find_control_character
from heed.core.errors import ApplicationError
from heed.surveys.selectors import survey_get
from heed.web.access import role_required

designer_required = role_required(can_design_surveys)


class SchemeForm(forms.Form):
    name = forms.CharField(max_length=120)
    margins = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text="variable,category,share — one line each, e.g. age_group,18-24,0.12",
    )  # fmt: skip
    margins_file = forms.FileField(required=False, help_text="or upload the same as a CSV file")
    trim_lower = forms.FloatField(required=False, min_value=0.01, max_value=0.99)
    trim_upper = forms.FloatField(required=False, min_value=1.01, max_value=100)

    def margins_text(self) -> str:
        upload = self.cleaned_data.get("margins_file")
        if upload is not None:
            if upload.size > 200_000:
                raise ApplicationError("The margins file is too large (at most 200 kB).")
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ApplicationError("The margins file must be UTF-8 text (CSV).") from None
            if found := find_control_character(text):  # the edge's rule, for file contents
                raise ApplicationError(f"The margins file contains the control character {found}; remove it.")
            return text
        return self.cleaned_data.get("margins") or ""


@designer_required
def survey_weighting(request: HttpRequest, survey_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    survey = survey_get(organisation=user.organisation, survey_id=survey_id)
    if survey is None:
        raise Http404
    form = SchemeForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        lower, upper = form.cleaned_data.get("trim_lower"), form.cleaned_data.get("trim_upper")
        try:
            targets = targets_from_csv(form.margins_text())
            weighting_scheme_create(survey=survey, name=form.cleaned_data["name"], targets=targets,
                                    created_by=user, trim=(lower, upper) if lower and upper else None)  # fmt: skip
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Weighting scheme saved; weights are being computed.")
            return redirect("survey-weighting", survey_id=survey.id)
    if form.errors:
        status = 422
    return render(request, "heed/surveys/weighting.html", {
        "survey": survey, "form": form, "schemes": weighting_scheme_list(user=user, survey_id=survey.id),
        "variables": list(WEIGHTING_VARIABLES),
    }, status=status)  # fmt: skip


@designer_required
@require_POST
def weighting_recompute(request: HttpRequest, scheme_id: int) -> HttpResponse:
    scheme = weighting_scheme_get(user=request.user, scheme_id=scheme_id)  # type: ignore[arg-type]
    if scheme is None:
        raise Http404
    weighting_scheme_recompute(scheme=scheme)
    messages.success(request, f"Recomputing the weights of {scheme.name}.")
    return redirect("survey-weighting", survey_id=scheme.survey_id)
