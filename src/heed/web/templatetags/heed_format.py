"""Number formatting for metric pages: a missing value (None, or no number at all, such as the empty
diagnostics of a weighting scheme still being computed) shows as a dash, never as 'None' or an error."""

from django import template

register = template.Library()


@register.filter
def num(value: float | None, digits: int = 1) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "—"
    return f"{round(value, int(digits)) + 0.0:.{int(digits)}f}"  # + 0.0 turns -0.0 into 0.0: no "-0"


@register.filter
def pct(value: float | None) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "—"
    return f"{100 * value:.0f}%"
