"""Number formatting for metric pages: a missing value (None, or no number at all, such as the empty
diagnostics of a weighting scheme still being computed) shows as a dash, never as 'None' or an error."""

from django import template
from django.http import QueryDict

register = template.Library()


@register.filter
def num(value: float | None, digits: int = 1) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):  # None, or missing (e.g. a failed scheme)
        return "—"
    return f"{round(value, int(digits)) + 0.0:.{int(digits)}f}"  # + 0.0 turns -0.0 into 0.0: no "-0"


@register.filter
def pct(value: float | None) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "—"
    return f"{100 * value:.0f}%"


@register.simple_tag
def query_with(query: QueryDict | None, name: str, value: object) -> str:
    """``{% query_with query "theme" t.key %}``: ``query`` urlencoded with ``name`` set to ``value``."""
    out = query.copy() if query is not None else QueryDict(mutable=True)
    out[name] = str(value)
    return out.urlencode()
