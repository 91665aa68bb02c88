"""Forms of the governance pages (audit log filters). They parse and validate; selectors read."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from heed.core.form_fields import BoundedDateField
from heed.governance.actions import ACTIONS, TARGET_TYPES
from heed.governance.selectors import AuditFilters


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(choices=[("", _("Any change")), *ACTIONS.items()], required=False, label=_("Change"))
    target_type = forms.ChoiceField(choices=[("", _("Anything")), *TARGET_TYPES.items()], required=False, label=_("On"))
    actor = forms.CharField(max_length=150, required=False)
    target_id = forms.RegexField(regex=r"^\d{1,18}$", required=False, widget=forms.HiddenInput)
    date_from = BoundedDateField(required=False, label=_("From"))
    date_to = BoundedDateField(required=False, label=_("To"))
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000, widget=forms.HiddenInput)

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            action=data.get("action") or "",
            target_type=data.get("target_type") or "",
            actor=(data.get("actor") or "").strip(),
            target_id=data.get("target_id") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    def clean(self):
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date lies after the end date."))
        return data
