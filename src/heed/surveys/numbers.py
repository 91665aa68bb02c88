"""Reading numbers typed by people and sent by systems, without guessing (no Django here).

Two entry points, one rule: a string is turned into a number only when it can mean one thing.

``parse_plain_number`` is the API's rule: a JSON number (not a boolean), or a string of plain
digits with an optional sign and an optional ``.`` decimal part (``"12000"``, ``"-3.5"``). Anything
else (``"12,000"``, ``"1e3"``, ``".5"``, ``"12 000"``) is refused: a system can always send the
plain form, and ``"12,000"`` means twelve in Italy and twelve thousand in England.

``parse_localised_number`` is the respondent page's rule: people type numbers the way their
language writes them (CLDR number symbols: https://cldr.unicode.org/translation/number-currency-formats).
English uses ``.`` as decimal mark and ``,`` to group thousands; Italian, Croatian, Bulgarian,
Russian and Estonian use ``,`` as decimal mark and ``.`` or a space to group. A space (also the
no-break and narrow no-break spaces of CLDR) groups thousands in every language. Groups must be
whole groups of three digits (``1.234.567``); a lone decimal mark followed by exactly three digits
(``12,000`` in Italian, ``12.000`` in English) is refused as ambiguous, because it is exactly how a
writer of the other convention groups thousands; the respondent is asked to write it another way.

Both raise ``NumberError`` with a reason key from ``i18n_strings.UI_STRINGS``:
``invalid_number`` (not a number at all) or ``ambiguous_number`` (could mean two numbers).
"""

from __future__ import annotations

import math
import re
from typing import Any

from heed.core import languages

DECIMAL_MARKS: dict[str, str] = languages.decimal_marks()
"""The decimal mark of each supported language (CLDR, from the language registry); the other of ``.``/``,``
groups thousands."""

_SPACES = {"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "}
_MINUS = {"\u2212": "-", "\u2012": "-", "\u2013": "-"}
_PLAIN_RE = re.compile(r"[+-]?\d+(\.\d+)?")
_DIGITS_RE = re.compile(r"\d+")


class NumberError(Exception):
    """``key`` is ``invalid_number`` or ``ambiguous_number`` (a message key of ``UI_STRINGS``)."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise NumberError("invalid_number")
    return value


def parse_plain_number(raw: Any) -> float:
    """A JSON number, or a string of digits with optional sign and ``.`` decimals, as a float.

    Raises ``NumberError("invalid_number")`` for booleans, lists, objects, non-finite values, and
    ``NumberError("ambiguous_number")`` for strings using thousands separators or ``,`` decimals.
    """
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise NumberError("invalid_number")
    if not isinstance(raw, str):
        try:
            return _finite(float(raw))
        except OverflowError:  # a JSON integer of hundreds of digits
            raise NumberError("invalid_number") from None
    text = raw.strip()
    if _PLAIN_RE.fullmatch(text):
        return _finite(float(text))
    if re.fullmatch(r"[+-]?[\d.,\s]*\d[\d.,\s]*", text):
        raise NumberError("ambiguous_number")
    raise NumberError("invalid_number")


def _normalise(text: str) -> str:
    for char, replacement in {**_SPACES, **_MINUS}.items():
        text = text.replace(char, replacement)
    return " ".join(text.split())


def parse_localised_number(text: str, language: str) -> float:
    """``text`` as written in ``language`` (a code of ``DECIMAL_MARKS``; others read as English).

    Examples: en ``"12,000"`` → 12000.0, ``"1,234.5"`` → 1234.5; it ``"1.234,5"`` → 1234.5,
    ``"12,5"`` → 12.5, ``"1 234 567"`` → 1234567.0. Refused as ambiguous: en ``"12.000"``,
    it ``"12,000"``, a grouping that is not in threes (en ``"12,5"``, it ``"12.5"``), mixed group
    separators. Raises ``NumberError``.
    """
    if not isinstance(text, str):
        raise NumberError("invalid_number")
    decimal = DECIMAL_MARKS.get(language, ".")
    group = "." if decimal == "," else ","
    value = _normalise(text)
    sign = ""
    if value[:1] in "+-" and value:
        sign, value = value[0], value[1:].lstrip()
    if value[:1] == decimal and value[1:].isdigit():
        value = f"0{value}"  # ",5" / ".5"
    if not value or not set(value) <= set("0123456789 .,"):
        raise NumberError("invalid_number")
    if not value[0].isdigit() or not value[-1].isdigit():
        raise NumberError("ambiguous_number" if value.strip(" .,").isdigit() else "invalid_number")
    if value.count(decimal) > 1:
        raise NumberError("ambiguous_number")
    whole, _, fraction = value.partition(decimal)
    if fraction and not _DIGITS_RE.fullmatch(fraction):
        raise NumberError("ambiguous_number")
    separators = {char for char in whole if not char.isdigit()}
    if separators:
        if len(separators) > 1 or separators - {group, " "}:
            raise NumberError("ambiguous_number")
        groups = whole.split(separators.pop())
        leading = groups[0]
        if not (1 <= len(leading) <= 3) or leading[0] == "0" or any(len(g) != 3 for g in groups[1:]):
            raise NumberError("ambiguous_number")
        whole = "".join(groups)
    elif fraction and len(fraction) == 3 and whole[0] != "0" and len(whole) <= 3:
        raise NumberError("ambiguous_number")  # 12,000 (it) / 12.000 (en): the other side's thousands
    return _finite(float(f"{sign}{whole}.{fraction or '0'}"))


def format_localised_number(value: float, language: str) -> str:
    """``value`` written so that ``parse_localised_number(…, language)`` reads it back unchanged.

    No grouping; the language's decimal mark; a fraction of exactly three digits gets a trailing
    zero (``1,1250``) so it is not mistaken for grouped thousands.
    """
    if value == int(value):
        return str(int(value))
    whole, _, fraction = repr(float(value)).partition(".")
    if "e" in fraction or "e" in whole:
        whole, _, fraction = f"{value:.15f}".rstrip("0").partition(".")
    if len(fraction) == 3:
        fraction += "0"
    return f"{whole}{DECIMAL_MARKS.get(language, '.')}{fraction}"
