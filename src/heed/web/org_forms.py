"""Forms of the Organisation pages (users, units, staff, audit log). They parse and validate; services write."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from heed.accounts.language_forms import language_choices
from heed.accounts.models import Role, Unit
from heed.core.form_fields import BoundedDateField
from heed.governance.actions import ACTIONS, TARGET_TYPES
from heed.governance.selectors import AuditFilters


def _unit_label(unit: Unit) -> str:
    return f"{unit.code} {unit.name} ({unit.get_kind_display().lower()})"


def _unit_choice(units: QuerySet[Unit], *, required: bool, label: str) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(queryset=units, required=required, empty_label=_("— none —"), label=label)
    field.label_from_instance = _unit_label  # type: ignore[method-assign]
    return field


class UserInviteForm(forms.Form):
    username = forms.RegexField(
        regex=r"^[\w.@+-]{2,150}$",
        max_length=150,
        label=_("Username"),
        error_messages={"invalid": _("Use 2–150 letters, digits and . @ + - _ only.")},
    )
    email = forms.EmailField(required=False, label=_("E-mail"),
                             help_text=_("The set-password link is e-mailed here when SMTP is set up."))  # fmt: skip
    first_name = forms.CharField(max_length=150, required=False, label=_("First name"))
    last_name = forms.CharField(max_length=150, required=False, label=_("Last name"))
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))
    units = forms.ModelMultipleChoiceField(queryset=Unit.objects.none(), required=False, label=_("Units"),
                                           widget=forms.SelectMultiple(attrs={"size": 8}))  # fmt: skip

    def __init__(self, *args, units: QuerySet[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]


class UserEditForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))
    language = forms.ChoiceField(choices=language_choices, required=False, label=_("Interface language"))
    units = forms.ModelMultipleChoiceField(queryset=Unit.objects.none(), required=False, label=_("Units"),
                                           widget=forms.SelectMultiple(attrs={"size": 10}))  # fmt: skip

    def __init__(self, *args, units: QuerySet[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]


class UnitCreateForm(forms.Form):
    code = forms.RegexField(regex=r"^[\w.-]{1,40}$", max_length=40, label=_("Code"),
                            error_messages={"invalid": _("Use up to 40 letters, digits and . - _ only.")})  # fmt: skip
    name = forms.CharField(max_length=200, label=_("Name"))
    kind = forms.ChoiceField(choices=Unit.Kind.choices, label=_("Kind"))
    country = forms.RegexField(regex=r"^[A-Za-z]{2}$", required=False, max_length=2, label=_("Country"),
                               error_messages={"invalid": _("Two letters (ISO 3166-1), e.g. IT.")})  # fmt: skip

    def __init__(self, *args, parents: QuerySet[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"] = _unit_choice(parents, required=False, label=_("Parent"))


class UnitEditForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))

    def __init__(self, *args, parents: QuerySet[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"] = _unit_choice(parents, required=False, label=_("Parent"))


class StaffForm(forms.Form):
    first_name = forms.CharField(max_length=60, label=_("First name"))
    last_name = forms.CharField(max_length=60, required=False, label=_("Last name"))
    aliases = forms.CharField(max_length=300, required=False, label=_("Also called"),
                              help_text=_("Other names customers use, comma-separated."))  # fmt: skip

    def __init__(self, *args, units: QuerySet[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _unit_choice(units, required=True, label=_("Unit"))

    def alias_list(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data.get("aliases", "").split(",") if part.strip()]


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
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("The start date lies after the end date."))
        return data
