"""The filter form every results page shares. Pages' own forms live in their app (``<app>/forms.py``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from heed.core.channels import Channel
from heed.core.form_fields import BoundedDateField, DateRangeMixin, choice_field
from heed.responses.selectors import REVIEW_STATE_CHOICES, ResponseFilters
from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES

LANGUAGE_CHOICES = list(SUPPORTED_LANGUAGES.items())


class ResponseFilterForm(DateRangeMixin, forms.Form):
    """Unit, channel, language, dates and review state: the filters every results page shares (read with GET).
    A start date after the end date is an error on ``date_to`` (the page answers 400 with it)."""

    unit = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Unit"))
    channel = forms.ChoiceField(choices=[("", _("All channels")), *Channel.choices], required=False, label=_("Channel"))
    language = forms.ChoiceField(choices=[("", _("All languages")), *LANGUAGE_CHOICES], required=False,
                                 label=_("Language"))  # fmt: skip
    date_from = BoundedDateField(required=False, label=_("Date from"))
    date_to = BoundedDateField(required=False, label=_("Date to"))
    review_state = forms.ChoiceField(
        choices=[("", _("All but rejected")), *REVIEW_STATE_CHOICES, ("all", _("All, rejected included"))],
        required=False, label=_("Review state"),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from heed.accounts.selectors import unit_list

        choice_field(self, "unit").choices = [("", _("All my units"))] + [
            (u.id, f"{u.code} {u.name}") for u in unit_list(user=user)
        ]

    def response_filters(self, **extra: Any) -> ResponseFilters:
        """The filters as chosen (none when the form is unbound or invalid), plus ``extra`` fields."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return ResponseFilters(
            unit_id=data.get("unit"), channel=data.get("channel") or None, language=data.get("language") or None,
            date_from=data.get("date_from"), date_to=data.get("date_to"),
            review_state=data.get("review_state") or None, **extra,
        )  # fmt: skip
