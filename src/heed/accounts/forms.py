"""Forms of the Organisation pages (users, units, staff lists). They parse and validate; services write."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from heed.accounts.models import Role, Unit


def _unit_label(unit: Unit) -> str:
    return f"{unit.code} {unit.name} ({unit.get_kind_display().lower()})"


class _UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return _unit_label(obj)


def _unit_choice(units: QuerySet[Unit], *, required: bool) -> forms.ModelChoiceField:
    return _UnitChoiceField(queryset=units, required=required, empty_label="— none —")


class UserInviteForm(forms.Form):
    username = forms.RegexField(
        regex=r"^[\w.@+-]{2,150}$",
        max_length=150,
        error_messages={"invalid": "Use 2–150 letters, digits and . @ + - _ only."},
    )
    email = forms.EmailField(required=False, help_text="The set-password link is e-mailed here when SMTP is set up.")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=Role.choices)
    units = forms.ModelMultipleChoiceField(queryset=Unit.objects.none(), required=False,
                                           widget=forms.SelectMultiple(attrs={"size": 8}))  # fmt: skip

    def __init__(self, *args, units: QuerySet[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]


class UserEditForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    units = forms.ModelMultipleChoiceField(queryset=Unit.objects.none(), required=False,
                                           widget=forms.SelectMultiple(attrs={"size": 10}))  # fmt: skip

    def __init__(self, *args, units: QuerySet[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]


class UnitCreateForm(forms.Form):
    code = forms.RegexField(regex=r"^[\w.-]{1,40}$", max_length=40,
                            error_messages={"invalid": "Use up to 40 letters, digits and . - _ only."})  # fmt: skip
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=Unit.Kind.choices)
    country = forms.RegexField(regex=r"^[A-Za-z]{2}$", required=False, max_length=2,
                               error_messages={"invalid": "Two letters (ISO 3166-1), e.g. IT."})  # fmt: skip

    def __init__(self, *args, parents: QuerySet[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"] = _unit_choice(parents, required=False)


class UnitEditForm(forms.Form):
    name = forms.CharField(max_length=200)

    def __init__(self, *args, parents: QuerySet[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"] = _unit_choice(parents, required=False)


class StaffForm(forms.Form):
    first_name = forms.CharField(max_length=60)
    last_name = forms.CharField(max_length=60, required=False)
    aliases = forms.CharField(max_length=300, required=False, help_text="Other names customers use, comma-separated.")

    def __init__(self, *args, units: QuerySet[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"] = _unit_choice(units, required=True)

    def alias_list(self) -> list[str]:
        return [part.strip() for part in self.cleaned_data.get("aliases", "").split(",") if part.strip()]
