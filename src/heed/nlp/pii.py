"""Mask personal data in free text (comments, complaints, call notes) before it is stored or shown.

``redact(text)`` finds e-mail addresses, phone numbers, payment card numbers and IBANs and replaces each with a
placeholder that reads the same in every language (``[email]``, ``[phone]``, ``[card]``, ``[iban]``). It returns
the masked text and where each piece of personal data was in the *original* text (kind and offsets, never the
value), so a caller can audit or highlight without ever handling the secret again.

Precision first where a checksum exists, recall first where it does not:

* IBAN (ISO 13616-1): the country code must be in the SWIFT IBAN registry, the length and the BBAN structure
  (``n`` digits, ``a`` letters, ``c`` alphanumerics) must be that country's, the check digits must be 02-98 and
  the ISO 7064 MOD 97-10 remainder must be 1. Upper or lower case, with or without spaces.
* Card (ISO/IEC 7812-1): 13-19 digits, unbroken or in the usual groups (4-4-4-4[-1..3], 4-4-4-1..3, Amex 4-6-5,
  Diners 4-6-4) joined by one consistent space or dash; the major industry identifier (first digit) must be
  2-6 (the payment networks: Mir, Amex/JCB/Diners, Visa, Mastercard/Maestro, Discover/UnionPay) and the Luhn
  check (ISO/IEC 7812-1 Annex B) must hold, so most order and receipt numbers stay readable.
* Phone: international numbers (``+`` or ``00`` and an ITU-T E.164 country code, with per-country national
  lengths for Italy, Croatia, Bulgaria, Estonia, Russia, Ireland, the UK and NANP), and national formats of
  those countries: trunk-``0`` numbers (8-11 digits), Italian mobiles (3xx), NANP/Russian 10-digit numbers,
  ``1``/``8``/``7``-prefixed 11-digit numbers, freephone numbers, and Estonian 7-8-digit subscriber numbers
  (only when written bare or split by spaces). Not phones: fewer than 7 digits, dates, times, IPv4 addresses,
  amounts (a currency sign or code, a ``%`` or a decimal part next to the number, thousands grouping like
  ``359 987 767``), and numbers right after ``#``/``№`` or an order/receipt/invoice/ticket/code word in English,
  Italian, Croatian, Bulgarian, Estonian or Russian. An unlabelled bare number with a phone's shape
  (``6123456``, ``4155552671``) is masked: for phones, recall comes first.
* E-mail: a pragmatic ``local@domain.tld`` with Unicode letters (``ivan@пример.бг``); obfuscated forms
  ("ivan at abv dot bg") are not attempted.

Overlaps are resolved deterministically: e-mail, then IBAN, then card, then phone; within a kind the longer
match, then the earlier one. Masking is applied until nothing more is found (a number next to a card can only be
judged once the card is masked), so ``redact(redact(t).text).text == redact(t).text``.

Pure Python, standard library only; every pattern is compiled once at import.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

__all__ = [
    "ALL_KINDS",
    "CARD",
    "EMAIL",
    "IBAN",
    "PHONE",
    "PII_VERSION",
    "PLACEHOLDERS",
    "PiiMatch",
    "Redaction",
    "iban_valid",
    "luhn_valid",
    "redact",
]

# Bumped whenever what is detected changes, so stored redactions can be told apart and re-run.
PII_VERSION = "1"

EMAIL, PHONE, CARD, IBAN = "email", "phone", "card", "iban"
ALL_KINDS: frozenset[str] = frozenset({EMAIL, PHONE, CARD, IBAN})
PLACEHOLDERS: dict[str, str] = {kind: f"[{kind}]" for kind in (EMAIL, PHONE, CARD, IBAN)}
_RANK = {EMAIL: 0, IBAN: 1, CARD: 2, PHONE: 3}  # overlap priority: lower wins
_MAX_PASSES = 6


@dataclass(frozen=True, slots=True)
class PiiMatch:
    """One piece of personal data: its kind and ``[start, end)`` offsets in the original text (never the value)."""

    kind: str
    start: int
    end: int

    @property
    def placeholder(self) -> str:
        return PLACEHOLDERS[self.kind]


@dataclass(frozen=True, slots=True)
class Redaction:
    """The masked text and the matches, in order of position in the original text."""

    text: str
    found: tuple[PiiMatch, ...]

    @property
    def count(self) -> int:
        return len(self.found)


# --- checksums ---------------------------------------------------------------------------------------------------


def luhn_valid(digits: str) -> bool:
    """Luhn mod-10 check of ISO/IEC 7812-1 Annex B over a string of ASCII digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


# BBAN structure by country, from the SWIFT IBAN Registry (as shipped in python-stdnum 2.2's iban.dat):
# "<length>!<n|a|c>" = exactly that many digits / upper-case letters / alphanumerics.
_BBAN_FORMATS = {
    "AD": "4!n4!n12!c", "AE": "3!n16!n", "AL": "8!n16!c", "AT": "5!n11!n", "AZ": "4!a20!c", "BA": "3!n3!n8!n2!n",
    "BE": "3!n7!n2!n", "BG": "4!a4!n2!n8!c", "BH": "4!a14!c", "BI": "5!n5!n11!n2!n", "BR": "8!n5!n10!n1!a1!c",
    "BY": "4!c4!n16!c", "CH": "5!n12!c", "CR": "4!n14!n", "CY": "3!n5!n16!c", "CZ": "4!n16!n", "DE": "8!n10!n",
    "DJ": "5!n5!n11!n2!n", "DK": "4!n9!n1!n", "DO": "4!c20!n", "EE": "2!n14!n", "EG": "4!n4!n17!n",
    "ES": "4!n4!n1!n1!n10!n", "FI": "3!n11!n", "FK": "2!a12!n", "FO": "4!n9!n1!n", "FR": "5!n5!n11!c2!n",
    "GB": "4!a6!n8!n", "GE": "2!a16!n", "GI": "4!a15!c", "GL": "4!n9!n1!n", "GR": "3!n4!n16!c", "GT": "4!c20!c",
    "HN": "4!a20!n", "HR": "7!n10!n", "HU": "3!n4!n1!n15!n1!n", "IE": "4!a6!n8!n", "IL": "3!n3!n13!n",
    "IQ": "4!a3!n12!n", "IS": "4!n2!n6!n10!n", "IT": "1!a5!n5!n12!c", "JO": "4!a4!n18!c", "KW": "4!a22!c",
    "KZ": "3!n13!c", "LB": "4!n20!c", "LC": "4!a24!c", "LI": "5!n12!c", "LT": "5!n11!n", "LU": "3!n13!c",
    "LV": "4!a13!c", "LY": "3!n3!n15!n", "MC": "5!n5!n11!c2!n", "MD": "2!c18!c", "ME": "3!n13!n2!n",
    "MK": "3!n10!c2!n", "MN": "4!n12!n", "MR": "5!n5!n11!n2!n", "MT": "4!a5!n18!c", "MU": "4!a2!n2!n12!n3!n3!a",
    "NI": "4!a20!n", "NL": "4!a10!n", "NO": "4!n6!n1!n", "OM": "3!n16!c", "PK": "4!a16!c", "PL": "8!n16!n",
    "PS": "4!a21!c", "PT": "4!n4!n11!n2!n", "QA": "4!a21!c", "RO": "4!a16!c", "RS": "3!n13!n2!n",
    "RU": "9!n5!n15!c", "SA": "2!n18!c", "SC": "4!a2!n2!n16!n3!a", "SD": "2!n12!n", "SE": "3!n16!n1!n",
    "SI": "5!n8!n2!n", "SK": "4!n6!n10!n", "SM": "1!a5!n5!n12!c", "SO": "4!n3!n12!n", "ST": "4!n4!n11!n2!n",
    "SV": "4!a20!n", "TL": "3!n14!n2!n", "TN": "2!n3!n13!n2!n", "TR": "5!n1!n16!c", "UA": "6!n19!c",
    "VA": "3!n15!n", "VG": "4!a16!n", "XK": "4!n10!n2!n", "YE": "4!a4!n18!c",
}  # fmt: skip
_IBAN_LENGTHS = {cc: 4 + sum(int(n) for n in re.findall(r"(\d+)!", fmt)) for cc, fmt in _BBAN_FORMATS.items()}
_BBAN_CLASS = {"n": "[0-9]", "a": "[A-Z]", "c": "[0-9A-Z]"}


@cache
def _bban_pattern(country: str) -> re.Pattern[str]:
    parts = re.findall(r"(\d+)!([nac])", _BBAN_FORMATS[country])
    return re.compile("".join(f"{_BBAN_CLASS[kind]}{{{n}}}" for n, kind in parts))


def _iban_structure_ok(iban: str) -> bool:
    """Registry country, exact length, check digits 02-98 and the country's BBAN structure (no checksum)."""
    length = _IBAN_LENGTHS.get(iban[:2])
    return (
        length == len(iban)
        and iban[2:4].isdigit()
        and 2 <= int(iban[2:4]) <= 98
        and _bban_pattern(iban[:2]).fullmatch(iban, 4) is not None
    )


def _mod97_ok(iban: str) -> bool:
    """ISO 7064 MOD 97-10 as ISO 13616-1 applies it: move the first four characters to the end, letters to 10-35."""
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def iban_valid(value: str) -> bool:
    """True for a complete IBAN (spaces and case ignored) that passes the registry and MOD 97-10 checks."""
    iban = re.sub(r"\s+", "", value).upper()
    return iban.isascii() and iban.isalnum() and _iban_structure_ok(iban) and _mod97_ok(iban)


# --- patterns ----------------------------------------------------------------------------------------------------

_SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space
_SP = f"[{_SPACES}]"
_SP_RE = re.compile(_SP)
_HAS_DIGIT = re.compile(r"[0-9]").search

_EMAIL_RE = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")

_IBAN_RE = re.compile(rf"(?<!\w)[A-Za-z]{{2}}[0-9]{{2}}(?:{_SP}?[0-9A-Za-z]){{11,30}}")

# A run of digit groups joined by single spaces or dashes; the layout is judged in code.
_CARD_RUN_RE = re.compile(r"(?<![\w@+.,/-])[0-9]+(?:[ \u00a0-][0-9]+)*")

# A run of digit groups joined by one space and/or one of - . / (or parentheses), optionally led by "+".
_PGROUP = r"(?:\(\+?[0-9]{1,5}\)|[0-9]+)"
_PSEP = rf"(?:{_SP}?[-./]{_SP}?|{_SP}|(?<=\))|(?=\())"
_PHONE_RUN_RE = re.compile(rf"(?<![\w@#№+])(?<!\w[-/])(?:\+{_SP}?)?{_PGROUP}(?:{_PSEP}{_PGROUP})*")
_DIGIT_GROUP_RE = re.compile(r"[0-9]+")

_DATE_RE = re.compile(  # 12.03.2026, 12. 3. 2026., 03/12/26, 2026-03-12
    rf"(?:[0-9]{{1,2}}[./-]{_SP}?[0-9]{{1,2}}[./-]{_SP}?(?:[0-9]{{4}}|[0-9]{{2}})"
    r"|[0-9]{4}[./-][0-9]{1,2}[./-][0-9]{1,2})\.?"
)
_NOT_PHONE_RE = re.compile(  # a date, a US ZIP+4 code, an IPv4 address or a dotted version number
    rf"{_DATE_RE.pattern}|[0-9]{{5}}-[0-9]{{4}}|[0-9]{{1,3}}(?:\.[0-9]{{1,3}}){{3}}"
)

_CURRENCY_BEFORE_RE = re.compile(
    rf"(?:[€$£₽¥]|\b(?:eur|usd|gbp|chf|bgn|hrk|rub|kn|лв|руб)\.?){_SP}?$",
    re.IGNORECASE,
)
_CURRENCY_AFTER_RE = re.compile(
    rf"{_SP}?(?:[%‰€$£₽¥]|(?:eur(?:o|a|os)?|evra|usd|gbp|chf|bgn|hrk|rub|kn|kun[ae]?|dollar[si]?|sterlin[ea]|"
    r"лв|лева|руб\w*|евро|долл\w*|долар\w*)(?!\w))",
    re.IGNORECASE,
)
_DECIMAL_AFTER_RE = re.compile(r"[.,][0-9]")
_DECIMAL_BEFORE_RE = re.compile(r"[0-9][.,]$")
# An order/receipt-style label right before a number: "order #", "ordine n.", "narudžba br.", "заказ №" ...
_ORDER_CONTEXT_RE = re.compile(
    r"(?:(?<!\w)(?:order|ordine|ordinazione|narud[žz]b|porud[žz]b|поръчк|заказ|tellimus|receipt|scontrino|"
    r"ricevuta|invoice|fattura|ra[čc]un|фактур|квитанц|чек|arve|ticket|tracking|reference|riferimento|pratica|"
    r"code|codice|kod|код|kood|sku|articolo|artikl|artikel|артикул|item)"
    r"\w*\.?(?:\s*(?:no|nr|n|num|number|numero|broj|br|бр|номер|nummer)\.?)?\s*[:#№]?\s*|[#№]\s*)$",
    re.IGNORECASE,
)

# ITU-T E.164 country codes (geographic and global services), prefix-free: at most one of d[:1], d[:2], d[:3].
_CC_RANGES = (
    (1, 1), (7, 7), (20, 20), (27, 27), (30, 34), (36, 36), (39, 41), (43, 49), (51, 58), (60, 66), (81, 82), (84, 84),
    (86, 86), (90, 95), (98, 98), (211, 213), (216, 216), (218, 218), (220, 258), (260, 269), (290, 291), (297, 299),
    (350, 359), (370, 389), (420, 421), (423, 423), (500, 509), (590, 599), (670, 692), (800, 800), (808, 808),
    (850, 850), (852, 853), (855, 856), (870, 870), (878, 878), (880, 883), (886, 886), (888, 888), (960, 968),
    (970, 977), (979, 979), (991, 998),
)  # fmt: skip
_CC: frozenset[str] = frozenset(str(n) for lo, hi in _CC_RANGES for n in range(lo, hi + 1))
# National significant number lengths (trunk 0 removed, except Italy where the 0 belongs to the number).
_NSN_LENGTHS = {
    "39": (6, 11),  # Italy
    "385": (8, 9),  # Croatia
    "359": (7, 9),  # Bulgaria
    "372": (7, 8),  # Estonia
    "7": (10, 10),  # Russia, Kazakhstan
    "353": (7, 10),  # Ireland (freephone 1800 xxx xxx)
    "44": (9, 10),  # United Kingdom
    "1": (10, 10),  # NANP
}
_ESTONIAN_8 = frozenset({"80", "81", "82", "83", "84"})  # 8-digit mobiles 81-84, freephone 800


# --- detectors ---------------------------------------------------------------------------------------------------

_Span = tuple[int, int, int]  # (rank, start, end)


def _find_emails(text: str) -> list[_Span]:
    return [(_RANK[EMAIL], m.start(), m.end()) for m in _EMAIL_RE.finditer(text)]


def _find_ibans(text: str) -> tuple[list[_Span], list[tuple[int, int]]]:
    """Valid IBANs, and IBAN-shaped strings with a failing checksum (these block phone/card matches)."""
    found: list[_Span] = []
    blocked: list[tuple[int, int]] = []
    pos = 0
    while m := _IBAN_RE.search(text, pos):
        start = m.start()
        length = _IBAN_LENGTHS.get(m.group()[:2].upper())
        end = None
        if length is not None:
            # Take exactly `length` alphanumerics; the next character must not continue the token.
            seen = 0
            for i in range(start, m.end()):
                if text[i].isalnum():
                    seen += 1
                    if seen == length:
                        end = i + 1
                        break
            if end is not None and end < len(text) and text[end].isalnum():
                end = None
        if end is None:
            pos = start + 1
            continue
        iban = _SP_RE.sub("", text[start:end]).upper()
        if _iban_structure_ok(iban):
            if _mod97_ok(iban):
                found.append((_RANK[IBAN], start, end))
            else:
                blocked.append((start, end))
            pos = end
        else:
            pos = start + 1
    return found, blocked


def _glued_after(text: str, end: int) -> bool:
    return end < len(text) and (text[end].isalnum() or text[end] in "@_")


def _card_layout_ok(sizes: list[int], seps: set[str]) -> bool:
    """Unbroken, or 4-4-4-4[-1..3] / 4-4-4-1..3 / 4-6-5 / 4-6-4 with one kind of separator throughout."""
    if len(sizes) == 1:
        return True
    grouped = sizes in ([4, 6, 5], [4, 6, 4]) or (
        len(sizes) >= 4 and all(s == 4 for s in sizes[:-1]) and 1 <= sizes[-1] <= 4
    )
    return grouped and len(seps) == 1


def _find_cards(text: str) -> list[_Span]:
    found: list[_Span] = []
    for m in _CARD_RUN_RE.finditer(text):
        groups = list(_DIGIT_GROUP_RE.finditer(text, m.start(), m.end()))
        if _glued_after(text, m.end()) or _DECIMAL_AFTER_RE.match(text, m.end()):
            groups.pop()
        n = len(groups)
        cum = [0]
        for g in groups:
            cum.append(cum[-1] + g.end() - g.start())
        i = 0
        while i < n:
            accepted = False
            # The major industry identifier (first digit) of a payment card is 2-6; every layout opens with a
            # group of 4 digits, or is one unbroken group.
            first = cum[i + 1] - cum[i]
            plausible = text[groups[i].start()] in "23456" and (first == 4 or 13 <= first <= 19)
            for j in range(min(n, i + 19), i, -1) if plausible else ():
                total = cum[j] - cum[i]
                if total > 19:
                    continue
                if total < 13:
                    break
                sizes = [g.end() - g.start() for g in groups[i:j]]
                seps = {text[groups[k].end() : groups[k + 1].start()] for k in range(i, j - 1)}
                if _card_layout_ok(sizes, seps) and luhn_valid("".join(g.group() for g in groups[i:j])):
                    found.append((_RANK[CARD], groups[i].start(), groups[j - 1].end()))
                    i, accepted = j, True
                    break
            if not accepted:
                i += 1
    return found


def _intl_phone_ok(digits: str) -> bool:
    """``digits`` = country code + national number, without the leading + or 00."""
    cc = next((digits[:k] for k in (1, 2, 3) if digits[:k] in _CC), None)
    if cc is None:
        return False
    nsn = digits[len(cc) :]
    if nsn.startswith("0") and cc != "39":  # "+44 (0)20 ...": a written trunk prefix
        nsn = nsn[1:]
    lo, hi = _NSN_LENGTHS.get(cc, (6, 13))
    return lo <= len(nsn) <= hi and len(cc) + len(nsn) <= 15


def _national_phone_ok(digits: str, sizes: list[int], seps: set[str], whole: bool) -> bool:
    n, first = len(digits), digits[0]
    if n < 7 or n > 11:
        return False
    spaced_only = all(not sep.strip(_SPACES + "()") for sep in seps)  # "5123 4567", "(022) 13340"
    no_dots = all(not sep.strip(_SPACES + "()-") for sep in seps)  # ... or dashes: "02-123-713"
    toll_free_it = n == 9 and digits[:3] in ("800", "803")  # numero verde: 800 123 456
    thousands = len(sizes) >= 3 and sizes[0] <= 3 and all(s == 3 for s in sizes[1:])
    if first != "0" and thousands and (not toll_free_it or digits.endswith("000")):
        return False  # "359 987 767", "5 999 999": a thousands-grouped amount or count
    if n <= 8:
        # Estonian subscriber numbers (no trunk prefix) and short trunk-0 numbers (IE, HR, BG regional): only as
        # the whole run and split by spaces, parentheses or dashes, so that dates and time ranges never qualify.
        if first == "0":
            return whole and no_dots and n == 8 and digits[1] != "0"
        if not (whole and spaced_only):  # not "500-1000", a range
            return False
        estonian_8 = n == 8 and digits[:2] in _ESTONIAN_8
        return len(sizes) <= 2 and (first == "5" or estonian_8 or (n == 7 and first in "3467"))
    if first == "0":
        return digits[1] != "0"  # IT, HR, BG, IE, UK with trunk 0 (9-11 digits)
    if n == 9:
        # older Italian mobiles, written "333 123456" (a bare 9-digit number is more often a code)
        return toll_free_it or (first == "3" and digits[1] != "0" and spaced_only and len(sizes) > 1)
    if n == 10:
        return first in "23456789" or digits[:4] in ("1800", "1850", "1890")  # NANP, RU, IT mobiles; IE freephone
    # n == 11
    if first == "1":
        return digits[1] in "23456789"  # NANP with trunk 1
    return first in "78" and digits[1] in "3489"  # Russia: 8 (trunk) or 7 (country code without +)


def _phone_context_ok(text: str, start: int, end: int) -> bool:
    if _CURRENCY_BEFORE_RE.search(text, max(0, start - 6), start):
        return False
    if _DECIMAL_BEFORE_RE.search(text, max(0, start - 2), start):
        return False
    if _CURRENCY_AFTER_RE.match(text, end) or _DECIMAL_AFTER_RE.match(text, end):
        return False
    return _ORDER_CONTEXT_RE.search(text, max(0, start - 40), start) is None


def _find_phones(text: str) -> list[_Span]:
    found: list[_Span] = []
    for m in _PHONE_RUN_RE.finditer(text):
        run_start, run_end = m.span()
        groups = list(_DIGIT_GROUP_RE.finditer(text, run_start, run_end))
        # Chunks: groups joined by a separator with no space (345-67-89, (0)20); a plain space may split a run.
        # Segments: chunks between list-like separators (" / ", " - ") and dates, each judged on its own.
        chunks: list[list[re.Match[str]]] = [[groups[0]]]
        breaks: set[int] = set()
        for prev, nxt in zip(groups, groups[1:], strict=False):
            sep = text[prev.end() : nxt.start()]
            if sep.strip(_SPACES + "()") == "" and sep.strip("()") != "":
                chunks.append([nxt])
            elif len(sep) == 3 and sep[0] in _SPACES and sep[2] in _SPACES:
                breaks.add(len(chunks))
                chunks.append([nxt])
            else:
                chunks[-1].append(nxt)
        if _glued_after(text, run_end):  # "... 24h": the last chunk belongs to a word
            chunks.pop()
        segments: list[list[list[re.Match[str]]]] = [[]]
        for k, chunk in enumerate(chunks):
            if k in breaks:
                segments.append([])
            if _DATE_RE.fullmatch(text, chunk[0].start(), chunk[-1].end()):
                segments.append([])
            else:
                segments[-1].append(chunk)
        for segment in segments:
            if segment:
                found.extend(_phones_in_segment(text, run_start, segment))
    return found


def _phones_in_segment(text: str, run_start: int, segment: list[list[re.Match[str]]]) -> list[_Span]:
    found: list[_Span] = []
    n = len(segment)
    seg_digits = sum(len(g.group()) for chunk in segment for g in chunk)
    if seg_digits > 17 + 4:
        return found
    i = 0
    while i < n:
        accepted = False
        for j in range(n, i, -1):
            groups = [g for chunk in segment[i:j] for g in chunk]
            n_digits = sum(len(g.group()) for g in groups)
            if n_digits > 17 or seg_digits - n_digits > 4:  # only short leftovers ("... 2 volte") are dropped
                continue
            if n_digits < 7:
                break
            start, end = groups[0].start(), groups[-1].end()
            if text[run_start:start].strip(_SPACES + "+(") == "":
                start = run_start  # the run's lead: "+", "+ ", "(+", "("
            elif text[start - 1] == "(":
                start -= 1
            if text.count("(", start, end) > text.count(")", start, end) and text.startswith(")", end):
                end += 1
            if _phone_ok(text, start, end, groups, whole=(i == 0 and j == n), at_start=i == 0):
                found.append((_RANK[PHONE], start, end))
                i, accepted = j, True
                break
        if not accepted:
            i += 1
    return found


def _phone_ok(text: str, start: int, end: int, groups: list[re.Match[str]], *, whole: bool, at_start: bool) -> bool:
    digits = "".join(g.group() for g in groups)
    lead = text[start : groups[0].start()]
    if "+" in lead:
        return _intl_phone_ok(digits)
    if at_start and digits.startswith("00") and not lead:
        return _intl_phone_ok(digits[2:])
    if _NOT_PHONE_RE.fullmatch(text, start, end):
        return False
    sizes = [len(g.group()) for g in groups]
    seps = {text[a.end() : b.start()] for a, b in zip(groups, groups[1:], strict=False)}
    return _national_phone_ok(digits, sizes, seps, whole) and _phone_context_ok(text, start, end)


# --- resolution and masking --------------------------------------------------------------------------------------

_KIND_OF_RANK = {rank: kind for kind, rank in _RANK.items()}


def _detect(text: str, kinds: frozenset[str]) -> list[_Span]:
    candidates: list[_Span] = []
    if EMAIL in kinds and "@" in text:
        candidates += _find_emails(text)
    if _HAS_DIGIT(text):
        ibans, blocked = _find_ibans(text)
        if IBAN in kinds:
            candidates += ibans
        detectors: list[Callable[[str], list[_Span]]] = []
        if CARD in kinds:
            detectors.append(_find_cards)
        if PHONE in kinds:
            detectors.append(_find_phones)
        blocked.sort()
        for detect in detectors:
            candidates += (span for span in detect(text) if not _overlaps(blocked, span[1], span[2]))
    if len(candidates) <= 1:
        return candidates
    # Deterministic overlap resolution: kind priority, then the longer match, then the earlier one.
    candidates.sort(key=lambda s: (s[0], s[1] - s[2], s[1]))
    taken: list[tuple[int, int]] = []
    accepted: list[_Span] = []
    for span in candidates:
        if not _overlaps(taken, span[1], span[2]):
            insort(taken, (span[1], span[2]))
            accepted.append(span)
    accepted.sort(key=lambda s: s[1])
    return accepted


def _overlaps(intervals: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of ``intervals`` (sorted and pairwise disjoint)."""
    k = bisect_left(intervals, (start, end))
    return (k > 0 and intervals[k - 1][1] > start) or (k < len(intervals) and intervals[k][0] < end)


def _render(text: str, spans: list[_Span]) -> str:
    parts: list[str] = []
    pos = 0
    for rank, start, end in spans:
        parts.append(text[pos:start])
        parts.append(PLACEHOLDERS[_KIND_OF_RANK[rank]])
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _to_original(spans: list[_Span], new: list[_Span]) -> list[_Span]:
    """Map spans found in the rendered text (always outside placeholders) back to the original text."""
    masked_starts: list[int] = []
    shifts: list[int] = []
    shift = 0
    for rank, start, end in spans:
        masked_starts.append(start + shift)
        shift += len(PLACEHOLDERS[_KIND_OF_RANK[rank]]) - (end - start)
        shifts.append(shift)
    mapped = []
    for rank, start, end in new:
        k = bisect_right(masked_starts, start)
        delta = shifts[k - 1] if k else 0
        mapped.append((rank, start - delta, end - delta))
    return mapped


def _normalise_kinds(kinds: Iterable[str]) -> frozenset[str]:
    kinds = kinds if isinstance(kinds, frozenset) else frozenset(kinds)
    unknown = kinds - ALL_KINDS
    if unknown:
        raise ValueError(f"unknown PII kinds {sorted(unknown)}; expected some of {sorted(ALL_KINDS)}")
    return kinds


def redact(text: str, *, kinds: frozenset[str] = ALL_KINDS) -> Redaction:
    """Mask ``kinds`` of personal data in ``text``; offsets in ``found`` refer to ``text`` itself."""
    kinds = _normalise_kinds(kinds)
    spans = _detect(text, kinds)
    if not spans:
        return Redaction(text, ())
    masked = _render(text, spans)
    for _ in range(_MAX_PASSES):
        more = _detect(masked, kinds)
        if not more:
            break
        spans = sorted(spans + _to_original(spans, more), key=lambda s: s[1])
        masked = _render(text, spans)
    found = tuple(PiiMatch(_KIND_OF_RANK[rank], start, end) for rank, start, end in spans)
    return Redaction(masked, found)
