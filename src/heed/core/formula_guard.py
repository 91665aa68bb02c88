"""Text that a spreadsheet would run as a formula, made inert (OWASP "CSV Injection")."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would read it as a formula (it starts with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return), else ``text`` unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
