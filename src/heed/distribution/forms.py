"""Forms of the distribution pages (survey links). They only parse and validate input; services do the work."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from heed.core.channels import Channel
from heed.core.form_fields import DbIdField


class LinkForm(forms.Form):
    name = forms.CharField(max_length=120, required=False, label=_("Name"))
    channel = forms.ChoiceField(choices=Channel.choices, label=_("Channel"))
    unit = DbIdField(required=False, label=_("Unit"))
    touchpoint = forms.CharField(max_length=60, required=False, label=_("Touchpoint"))
