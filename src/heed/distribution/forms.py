"""Forms of the distribution pages (survey links). They only parse and validate input; services do the work."""

from __future__ import annotations

from django import forms

from heed.core.channels import Channel
from heed.core.form_fields import DbIdField


class LinkForm(forms.Form):
    name = forms.CharField(max_length=120, required=False)
    channel = forms.ChoiceField(choices=Channel.choices)
    unit = DbIdField(required=False)
    touchpoint = forms.CharField(max_length=60, required=False)
