"""Weighting schemes of a survey: upload population margins, see how the weights came out."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from heed.accounts.models import User
from heed.accounts.permissions import can_design_surveys
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
)
from heed.core.control_characters import find_control_character
from heed.core.errors import ApplicationError
from heed.surveys.selectors import survey_get
from heed.web.access import role_required

designer_required = role_required(can_design_surveys)


class SchemeForm(forms.Form):
    name = forms.CharField(max_length=120, label=gettext_lazy("Name"))
    margins = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 8}), label=gettext_lazy("Margins (CSV)"),
        help_text=gettext_lazy("variable,category,share — one line each, e.g. age_group,18-24,0.12"),
    )  # fmt: skip
    margins_file = forms.FileField(required=False, label=gettext_lazy("…or a CSV file"),
                                   help_text=gettext_lazy("or upload the same as a CSV file"))  # fmt: skip
    trim_lower = forms.FloatField(required=False, min_value=0.01, max_value=0.99,
                                  label=gettext_lazy("Trim below (× mean weight)"))  # fmt: skip
    trim_upper = forms.FloatField(required=False, min_value=1.01, max_value=100,
                                  label=gettext_lazy("Trim above (× mean weight)"))  # fmt: skip
    unmatched = forms.ChoiceField(
        choices=WeightingScheme.Unmatched.choices, initial=WeightingScheme.Unmatched.EXCLUDE, required=False,
        widget=forms.RadioSelect,
        label=gettext_lazy("Respondents in a category without a target (e.g. “other”) or no answer"),
    )  # fmt: skip
    replace = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=gettext_lazy("Replace scheme"))

    def __init__(self, *args, schemes: list[WeightingScheme], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["replace"].choices = [("", "— no, save as a new scheme —")] + [(s.id, s.name) for s in schemes]

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
    """List the survey's schemes with their diagnostics; POST creates or replaces one (then redirects)."""
    user: User = request.user  # type: ignore[assignment]
    survey = survey_get(organisation=user.organisation, survey_id=survey_id)
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
                done = gettext("Weighting scheme {name} replaced; weights are being computed.").format(name=scheme.name)
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
    return render(request, "heed/surveys/weighting.html", {
        "survey": survey, "form": form, "schemes": [_row(s, labels) for s in schemes],
        "variables": list(WEIGHTING_VARIABLES),
    }, status=status)  # fmt: skip


def _row(scheme: WeightingScheme, labels: dict[str, dict[str, str]]) -> dict:
    """A scheme with its diagnostics read defensively: a failed or old scheme lacks most of them. Categories
    without a target are shown by their labels (answer options, channels, languages, units), never their keys."""
    d = scheme.diagnostics if isinstance(scheme.diagnostics, dict) else {}
    unmatched = d.get("unmatched") if isinstance(d.get("unmatched"), dict) else {}
    categories = unmatched.get("categories") if isinstance(unmatched.get("categories"), dict) else {}
    return {
        "scheme": scheme, "d": d, "error": d.get("error") or "",
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
