"""Forms of the supervisor's fieldwork page: a new assignment, a reassignment, a quota."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from heed.core.form_fields import DbIdField, UploadField


class AssignmentForm(forms.Form):
    survey = DbIdField(label=_("Survey"))
    unit = DbIdField(label=_("Unit"))
    interviewer = DbIdField(label=_("Interviewer"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000, required=False)
    starts_at = forms.DateTimeField(label=_("Shift starts"), required=False,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))  # fmt: skip
    ends_at = forms.DateTimeField(label=_("Shift ends"), required=False,
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))  # fmt: skip


class ReassignForm(forms.Form):
    interviewer = DbIdField(label=_("To interviewer"))
    quantity = forms.IntegerField(label=_("How many"), min_value=1, max_value=1_000_000)


class QuotaForm(forms.Form):
    survey = DbIdField(label=_("Survey"))
    name = forms.CharField(label=_("Name"), max_length=120)
    unit = DbIdField(label=_("Unit"), required=False)
    target = forms.IntegerField(label=_("Target"), min_value=1, max_value=1_000_000)
    conditions = forms.CharField(
        label=_("Conditions"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('One per line: question key = value, value (e.g. "gender = female").'),
    )  # fmt: skip
    count_partials = forms.BooleanField(label=_("Count interviews broken off"), required=False)

    def clean_conditions(self) -> dict[str, list[str]]:
        conditions: dict[str, list[str]] = {}
        for number, line in enumerate(self.cleaned_data["conditions"].splitlines(), start=1):
            if not line.strip():
                continue
            key, sep, values = line.partition("=")
            listed = [value.strip() for value in values.split(",") if value.strip()]
            if not sep or not key.strip() or not listed:
                raise forms.ValidationError(_("Line %(number)s: write question key = value, value."),
                                            params={"number": number})  # fmt: skip
            conditions[key.strip()] = listed
        if not conditions:
            raise forms.ValidationError(_("Give at least one condition."))
        return conditions


class BackupForm(forms.Form):
    file = UploadField(label=_("Backup file of the interviewer app (.json)"))


class SiteForm(forms.Form):
    """A unit's location and opening hours; hours as lines ``mon-fri 09:00-20:30`` (several ranges allowed)."""

    unit = DbIdField(label=_("Unit"))
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90, required=False)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180, required=False)
    radius_m = forms.FloatField(label=_("Radius (metres)"), min_value=1, max_value=100_000, required=False)
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, initial="UTC")
    opening_hours = forms.CharField(
        label=_("Opening hours"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('One line per day or range of days, e.g. "mon-fri 09:00-20:30" or "sat 10:00-12:00 13:00-14:00".'),
    )  # fmt: skip

    def clean_opening_hours(self) -> dict[str, list[str]]:
        hours: dict[str, list[str]] = {}
        for number, line in enumerate(self.cleaned_data["opening_hours"].splitlines(), start=1):
            if not line.strip():
                continue
            days, *ranges = line.split()
            if not ranges:
                raise forms.ValidationError(_("Line %(number)s: write days and hours, e.g. mon-fri 09:00-20:30."),
                                            params={"number": number})  # fmt: skip
            hours.setdefault(days.lower(), []).extend(ranges)
        return hours


def hours_text(opening_hours: dict[str, Any]) -> str:
    """Stored opening hours as the form's lines: ``mon-fri 09:00-20:30``."""
    lines = []
    for days, ranges in opening_hours.items():
        lines.append(" ".join([days, *([ranges] if isinstance(ranges, str) else ranges)]))
    return "\n".join(lines)
