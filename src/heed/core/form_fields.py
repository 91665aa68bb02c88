"""Django form fields with the bounds of ``heed.core.bounds``, for the pages' query strings and forms.

The pages read the same kinds of input as the API (ids, dates) and refuse the same out-of-range
values, with a message next to the field (the view answers 400) instead of a database error.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from heed.core.bounds import DATE_MAX, DATE_MIN, MAX_DB_ID


class BoundedDateField(forms.DateField):
    """A date written ``YYYY-MM-DD`` (what ``<input type="date">`` sends) between DATE_MIN and DATE_MAX."""

    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": f"Enter a date as YYYY-MM-DD between {DATE_MIN} and {DATE_MAX}."}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date", "min": DATE_MIN, "max": DATE_MAX}))
        super().__init__(**kwargs)
        self.validators += [
            MinValueValidator(DATE_MIN, message=f"Enter a date from {DATE_MIN} on."),
            MaxValueValidator(DATE_MAX, message=f"Enter a date up to {DATE_MAX}."),
        ]


DATE_ORDER_MESSAGE = _("The start date lies after the end date.")


class DateRangeMixin:
    """For a form with a date range (``date_range = ("date_from", "date_to")``): a start after the end is an
    error on the end field ("The start date lies after the end date.", translated), so the page shows it
    instead of computing from an empty range. Either end may be empty."""

    date_range: tuple[str, str] = ("date_from", "date_to")

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        start, end = (data.get(name) for name in self.date_range)
        if start and end and start > end:
            self.add_error(self.date_range[1], forms.ValidationError(DATE_ORDER_MESSAGE, code="date_order"))  # type: ignore[attr-defined]
        return data


class DbIdField(forms.IntegerField):
    """A database id: 1 .. 2**63 - 1."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_DB_ID)
        super().__init__(**kwargs)


BLANK_PROBE_BYTES = 4096  # a file this small is read to tell whether it holds anything but blanks


class UploadField(forms.FileField):
    """An uploaded file that must hold something: a zero-byte file, or one of only blanks, line breaks and a
    byte-order mark (what a spreadsheet saves for an empty sheet), is refused with "The file is empty." (a
    field error the page shows next to the field; translated). Returns the ``UploadedFile``, rewound."""

    default_error_messages = {"empty": _("The file is empty.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_empty_file", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if value and getattr(value, "size", None) is not None and value.size <= BLANK_PROBE_BYTES:
            head = value.read(BLANK_PROBE_BYTES)
            value.seek(0)
            if not head.replace(b"\xef\xbb\xbf", b"").strip():
                raise ValidationError(self.error_messages["empty"], code="empty")
        return value


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field ``name``, a ChoiceField whose choices a page sets per request (the user's surveys,
    units, themes). Raises TypeError when the field is not a ChoiceField."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a ChoiceField")
    return field
