"""The one registry of the languages Heed speaks, read from ``core/data/languages.json``.

Every list of languages in Heed comes from here: Django's ``LANGUAGES`` (the staff interface),
the languages a survey may offer, the respondent string packs, the decimal marks used to read
typed numbers, the demo's languages and the staff labels of the language breakdown. Adding a
language means adding an entry to the data file (and its packs and catalogue), not editing code.

Shapes: :func:`languages` -> tuple of :class:`Language` in picker order; :func:`codes` -> tuple of
ISO 639-1 codes; :func:`native_names` / :func:`english_names` -> ``{code: name}``.
:func:`get` raises ``KeyError`` for a code that is not registered. :func:`pick_language` chooses a
respondent's language among those a survey offers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from django.utils.translation.trans_real import parse_accept_lang_header


@dataclass(frozen=True, slots=True)
class Language:
    code: str  # ISO 639-1, lower case ("hr")
    names: dict[str, str]  # its name in each registered language (CLDR): {"en": "Croatian", "it": "Croato", ...}
    decimal_mark: str  # CLDR decimal symbol ("," or ".")
    plural_forms: str  # gettext Plural-Forms header of this language's staff catalogue

    @property
    def name(self) -> str:
        """The English name ("Croatian")."""
        return self.names["en"]

    @property
    def native_name(self) -> str:
        """The language's own name ("Hrvatski")."""
        return self.names[self.code]

    def name_in(self, reader: str | None) -> str:
        """The name as a reader of ``reader`` writes it ("Croato" in Italian); English for an unknown reader."""
        return self.names.get((reader or "").split("-")[0].lower()) or self.names["en"]


@cache
def _registry() -> tuple[str, tuple[Language, ...]]:
    raw = json.loads(resources.files("heed.core").joinpath("data/languages.json").read_text(encoding="utf-8"))
    entries = tuple(Language(**entry) for entry in raw["languages"])
    codes_seen = [entry.code for entry in entries]
    if len(set(codes_seen)) != len(codes_seen) or raw["default"] not in codes_seen:
        raise ValueError("languages.json: codes must be unique and include the default")
    if any(set(entry.names) != set(codes_seen) for entry in entries):
        raise ValueError("languages.json: every language needs its name in every registered language")
    return raw["default"], entries


def languages() -> tuple[Language, ...]:
    """Every registered language, in the order pickers list them."""
    return _registry()[1]


def codes() -> tuple[str, ...]:
    """The registered ISO 639-1 codes: ``("en", "it", "hr", "bg", "ru", "et")``."""
    return tuple(language.code for language in languages())


def default_code() -> str:
    """The language used when nothing else decides (``"en"``)."""
    return _registry()[0]


def get(code: str) -> Language:
    """The registered language with this code; ``KeyError`` if there is none."""
    for language in languages():
        if language.code == code:
            return language
    raise KeyError(code)


def native_names() -> dict[str, str]:
    """``{"en": "English", "it": "Italiano", ...}``: what a respondent or a language picker shows."""
    return {language.code: language.native_name for language in languages()}


def english_names() -> dict[str, str]:
    """``{"en": "English", "it": "Italian", ...}``: the source text of staff labels (translated by gettext)."""
    return {language.code: language.name for language in languages()}


def decimal_marks() -> dict[str, str]:
    """``{"en": ".", "it": ",", ...}``: the CLDR decimal symbol of each language."""
    return {language.code: language.decimal_mark for language in languages()}


def pick_language(
    *,
    offered: list[str],
    default: str,
    requested: str | None = None,
    remembered: str | None = None,
    accept_language: str = "",
) -> str:
    """The language a respondent sees: the one asked for (``?lang=``), else the one remembered (the
    invitation's, the session's), else the browser's first offered one (Accept-Language, RFC 9110
    §12.5.4, base language only), else ``default``; only codes in ``offered`` are chosen."""
    for candidate in (requested, remembered):
        if candidate and candidate in offered:
            return candidate
    for tag, _quality in parse_accept_lang_header(accept_language[:500]):
        base = tag.lower().split("-")[0]
        if base in offered:
            return base
    return default
