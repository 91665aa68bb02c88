"""Forms of the distribution pages (survey links). They only parse and validate input; services do the work."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from heed.core.channels import Channel
from heed.core.form_fields import DbIdField, UploadField


class LinkForm(forms.Form):
    name = forms.CharField(max_length=120, required=False, label=_("Name"))
    channel = forms.ChoiceField(choices=Channel.choices, label=_("Channel"))
    unit = DbIdField(required=False, label=_("Unit"))
    touchpoint = forms.CharField(max_length=60, required=False, label=_("Touchpoint"))


class ContactFileForm(forms.Form):
    file = UploadField(label=_("Contact file (CSV or XLSX)"))
    region = forms.RegexField(regex=r"^[A-Za-z]{2}$", max_length=2, required=False,
                              label=_("Country of numbers written without +"),
                              help_text=_("Two letters, e.g. HR or IE."))  # fmt: skip


class ContactSearchForm(forms.Form):
    q = forms.CharField(max_length=100, required=False, label=_("Search"))
    unit = DbIdField(required=False, label=_("Unit"))
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)
