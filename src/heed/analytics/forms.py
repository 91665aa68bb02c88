"""The analytics pages' forms: dashboard filters, driver analysis settings, weighting scheme upload."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from heed.accounts.selectors import organisation_id_of, organisation_of
from heed.analytics.drivers import DriverSetup
from heed.analytics.models import WeightingScheme
from heed.analytics.weighting import weighting_scheme_list
from heed.core.control_characters import find_control_character
from heed.core.errors import ApplicationError
from heed.core.form_fields import UploadField, choice_field
from heed.core.labels import DIMENSIONS
from heed.surveys.selectors import survey_list
from heed.textanalytics.selectors import TEXT_SOURCE_CHOICES, text_source_choices
from heed.web.forms import ResponseFilterForm

if TYPE_CHECKING:
    from heed.accounts.models import User

GROUPS = [(name, DIMENSIONS[name]) for name in ("unit", "channel", "language", "age_group", "gender", "touchpoint")]


class DashboardFilterForm(ResponseFilterForm):
    survey = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Survey"))
    group_by = forms.ChoiceField(choices=GROUPS, required=False, label=_("Group by"))
    trend = forms.ChoiceField(choices=[("month", DIMENSIONS["month"]), ("week", DIMENSIONS["week"])], required=False,
                              label=_("Trend"))  # fmt: skip
    weighting = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Weighting"))
    source = forms.ChoiceField(required=False, label=_("Source"), choices=TEXT_SOURCE_CHOICES)  # of the text sections
    field_order = [
        "survey", "unit", "channel", "language", "date_from", "date_to", "group_by", "trend", "weighting", "source"
    ]  # fmt: skip

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        choice_field(self, "survey").choices = [("", _("All surveys"))] + [
            (s.id, s.title) for s in survey_list(organisation=organisation_of(user))
        ]
        self.fields["source"].widget.choices = text_source_choices(organisation_id=organisation_id_of(user))
        schemes = list(weighting_scheme_list(user=user).select_related("survey"))
        # Any scheme of the organisation parses, so that another survey's scheme (or one not ready) is refused with
        # a clear message (weighting_scope) rather than "not a valid choice"; the picker offers only
        # the selected survey's ready schemes (all ready ones, labelled with their survey, when none is selected).
        choice_field(self, "weighting").choices = [("", _("Unweighted"))] + [(s.id, s.name) for s in schemes]
        selected = self._selected_survey()
        offered = [s for s in schemes if s.status == "ready" and (selected is None or s.survey_id == selected)]
        self.fields["weighting"].widget.choices = [("", _("Unweighted"))] + [
            (s.id, s.name if selected is not None else f"{s.name} ({s.survey.title})") for s in offered
        ]

    def _selected_survey(self) -> int | None:
        raw = self.data.get("survey") if self.is_bound else None
        try:
            return int(raw) if raw else None
        except (TypeError, ValueError):
            return None


class DriverForm(ResponseFilterForm):
    outcome = forms.ChoiceField(required=False, label=_("Outcome"))
    drivers = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, label=_("Drivers"))
    version = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Survey version"))
    field_order = ["outcome", "drivers", "version", "unit", "channel", "language", "date_from", "date_to"]

    def __init__(self, *args, user: User, setup: DriverSetup | None, **kwargs) -> None:
        super().__init__(*args, user=user, **kwargs)
        scales = [(q.key, setup.text(q)) for q in setup.scales] if setup else []
        choice_field(self, "outcome").choices = scales
        choice_field(self, "drivers").choices = scales
        numbers = list(setup.survey.versions.order_by("-number").values_list("number", flat=True)) if setup else []
        choice_field(self, "version").choices = [
            ("", format_lazy(_("Latest (v{number})"), number=numbers[0]) if numbers else _("Latest"))
        ] + [(n, f"v{n}") for n in numbers]


class SchemeForm(forms.Form):
    name = forms.CharField(max_length=120, label=gettext_lazy("Name"))
    margins = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 8}), label=gettext_lazy("Margins (CSV)"),
        help_text=gettext_lazy("variable,category,share — one line each, e.g. age_group,18-24,0.12"),
    )  # fmt: skip
    margins_file = UploadField(required=False, label=gettext_lazy("…or a CSV file"),
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
        choice_field(self, "replace").choices = [("", "— no, save as a new scheme —")] + [
            (s.id, s.name) for s in schemes
        ]

    def margins_text(self) -> str:
        upload = self.cleaned_data.get("margins_file")
        if upload is not None:
            if upload.size > 200_000:
                raise ApplicationError(gettext("The margins file is too large (at most 200 kB)."))
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ApplicationError(gettext("The margins file must be UTF-8 text (CSV).")) from None
            if found := find_control_character(text):  # the edge's rule, for file contents
                raise ApplicationError(
                    gettext("The margins file contains the control character %(character)s; remove it.")
                    % {"character": found}
                )
            return text
        return self.cleaned_data.get("margins") or ""
