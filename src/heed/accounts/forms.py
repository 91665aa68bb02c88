"""Forms of the Organisation pages (users, units, staff lists). They parse and validate; services write."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from heed.accounts.language_forms import language_choices
from heed.accounts.models import Role, Unit

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _unit_label(unit: Unit) -> str:
    return f"{unit.code} {unit.name} ({unit.get_kind_display().lower()})"


class _UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return _unit_label(obj)


def _unit_choice(units: QuerySet[Unit], *, required: bool, label: StrOrPromise) -> forms.ModelChoiceField:
    return _UnitChoiceField(queryset=units, required=required, empty_label=_("— none —"), label=label)


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
