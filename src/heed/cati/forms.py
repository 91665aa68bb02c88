"""Forms of the phone interviewing pages. They only parse and validate input; services do the work."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from heed.core.form_fields import DbIdField, UploadField
from heed.fieldwork_rules.cati import CallOutcome

# What the call screen offers (a complete interview is taken through "Interview now", never logged here).
OUTCOME_CHOICES = [
    (CallOutcome.NO_ANSWER.value, _("No answer")),
    (CallOutcome.BUSY.value, _("Busy")),
    (CallOutcome.ANSWERING_MACHINE_MESSAGE_LEFT.value, _("Answering machine, message left")),
    (CallOutcome.ANSWERING_MACHINE_NO_MESSAGE.value, _("Answering machine, no message")),
    (CallOutcome.APPOINTMENT.value, _("Appointment")),
    (CallOutcome.SOFT_REFUSAL.value, _("Refusal (soft)")),
    (CallOutcome.HARD_REFUSAL.value, _("Refusal (hard)")),
    (CallOutcome.BREAK_OFF.value, _("Break-off")),
    (CallOutcome.LANGUAGE_PROBLEM.value, _("Language problem")),
    (CallOutcome.UNABLE.value, _("Unable to answer")),
    (CallOutcome.DECEASED.value, _("Deceased")),
    (CallOutcome.DISCONNECTED.value, _("Disconnected number")),
    (CallOutcome.FAX_OR_DATA_LINE.value, _("Fax or data line")),
    (CallOutcome.BUSINESS_NUMBER.value, _("Business number")),
    (CallOutcome.NOT_ELIGIBLE.value, _("Not eligible")),
]


OUTCOME_LABELS = dict(OUTCOME_CHOICES) | {CallOutcome.COMPLETE.value: _("Complete interview")}


class CallListForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("Name"))
    survey = DbIdField(label=_("Survey"))
    unit = DbIdField(required=False, label=_("Unit"))
    time_zone = forms.CharField(max_length=64, initial="Europe/Zagreb", label=_("Time zone"))
    weekday_hours = forms.CharField(max_length=60, initial="09:00-20:30", label=_("Calling hours Monday to Friday"))
    saturday_hours = forms.CharField(max_length=60, required=False, initial="10:00-14:00",
                                     label=_("Calling hours on Saturday"))  # fmt: skip
    sunday_hours = forms.CharField(max_length=60, required=False, label=_("Calling hours on Sunday"))
    max_attempts = forms.IntegerField(min_value=1, max_value=50, initial=6, label=_("Attempts at most"))

    def calling_hours(self) -> dict[str, list[str]]:
        """``{"mon-fri": [...], "sat": [...], "sun": [...]}``; intervals separated by commas."""
        spec: dict[str, list[str]] = {}
        for day, field in (("mon-fri", "weekday_hours"), ("sat", "saturday_hours"), ("sun", "sunday_hours")):
            parts = [p.strip() for p in (self.cleaned_data.get(field) or "").split(",") if p.strip()]
            if parts:
                spec[day] = parts
        return spec


class CsvUploadForm(forms.Form):
    file = UploadField(label=_("CSV file"))


class ContactsAddForm(forms.Form):
    """Which contacts of the directory to add to a call list (those with a phone number)."""

    unit = DbIdField(required=False, label=_("Unit (with the units below it)"))
    language = forms.ChoiceField(required=False, label=_("Language"))

    def __init__(self, *args, units: list[tuple[int, str]], languages: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        unit_choices: list[tuple[int | str, str]] = [("", str(_("The list's unit (or all contacts)"))), *units]
        self.fields["unit"].widget = forms.Select(choices=unit_choices)
        language_field = self.fields["language"]
        assert isinstance(language_field, forms.ChoiceField)
        language_field.choices = [("", _("Any language")), *languages]


class CallForm(forms.Form):
    outcome = forms.ChoiceField(choices=OUTCOME_CHOICES, label=_("Outcome"))
    note = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Note"))
    appointment_at = forms.DateTimeField(required=False, label=_("Appointment (respondent's time)"),
                                         widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                         input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])  # fmt: skip
    appointment_operator = DbIdField(required=False, label=_("Operator for the appointment"))
