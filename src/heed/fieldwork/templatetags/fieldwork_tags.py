"""Template filters of the fieldwork pages: flag names in the reader's language, seconds as minutes."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

FLAG_LABELS = {
    "speeding": _("Speeding"),
    "straight_lining": _("Straight-lining"),
    "possible_duplicate": _("Possible duplicate"),
    "out_of_area": _("Out of area"),
    "mock_location_suspected": _("Mock location suspected"),
    "no_location": _("No location"),
    "clock_skew": _("Device clock ahead"),
    "outside_hours": _("Outside opening hours"),
}


@register.filter
def flag_label(code: str) -> str:
    """The translated name of a flag code (the code itself when unknown)."""
    return str(FLAG_LABELS.get(code, code))


@register.filter
def div60(seconds: float | None) -> float | None:
    """Seconds as minutes (None stays None)."""
    return None if seconds is None else seconds / 60
