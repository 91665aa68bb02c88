"""Number formatting for metric pages: a missing value shows as a dash, never as 'None'."""

from django import template

register = template.Library()


@register.filter
def num(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:.{int(digits)}f}"


@register.filter
def pct(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{100 * value:.0f}%"
