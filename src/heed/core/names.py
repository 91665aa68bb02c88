"""Comparing people's names as people do: ignoring case, accents and spacing (pure, no Django).

``name_key("  Ivana ", "Perić") == name_key("ivana", "PERIC")``. Accents are dropped from Latin letters
only (é→e, č→c, đ→d, ł→l, ø→o); Cyrillic letters keep their marks because й/и and ё/е are letters
people keep apart in names. Used for the staff list's "same person twice" rule.
"""

from __future__ import annotations

import unicodedata

_LATIN_WITHOUT_DECOMPOSITION = str.maketrans({"đ": "d", "ð": "d", "ł": "l", "ø": "o", "ħ": "h", "ı": "i",
                                              "æ": "ae", "œ": "oe", "þ": "th"})  # fmt: skip
_LATIN_END = 0x24F  # end of Latin Extended-B


def name_key(*parts: str) -> str:
    """One comparable key for a person's name parts: trimmed, inner spaces collapsed, casefolded, Latin
    accents removed, parts joined by a single space (empty parts skipped). Returns ``""`` for no name."""
    words = " ".join(" ".join(part.split()) for part in parts if part and part.strip()).casefold()
    kept: list[str] = []
    base_is_latin = False
    for char in unicodedata.normalize("NFD", words):
        if unicodedata.combining(char):
            if not base_is_latin:
                kept.append(char)
            continue
        base_is_latin = ord(char) <= _LATIN_END
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)).translate(_LATIN_WITHOUT_DECOMPOSITION)
