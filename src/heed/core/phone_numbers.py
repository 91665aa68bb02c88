"""Phone numbers in E.164, read with ``phonenumbers`` (Google's libphonenumber metadata)."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext


def normalise_phone(raw: str, region: str | None = None) -> str:
    """The E.164 form of ``raw`` (``+385 91 234 5678`` → ``+385912345678``); a number without ``+`` is read in
    ``region`` (ISO 3166-1 alpha-2, e.g. ``"IE"``: ``01 234 5678`` → ``+35312345678``).

    Raises ``ValueError`` with a message in plain words in the active language (gettext): empty, unreadable or
    not a valid number."""
    text = raw.strip()
    if not text:
        raise ValueError(gettext("the phone number is empty"))
    try:
        number = phonenumbers.parse(text, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        if text.startswith("+"):
            message = gettext("“%(value)s” is not a phone number")
        else:
            message = gettext(
                "“%(value)s” is not a phone number (write it with the country code, e.g. +385 91 234 5678)"
            )
        raise ValueError(message % {"value": text[:40]}) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(gettext("“%(value)s” is not a valid phone number") % {"value": text[:40]})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
