"""Respondent-facing strings, read from one pack per language: ``core/data/respondent/<code>.json``.

Why data packs and not Django's gettext: a respondent sees the survey's language (their choice among
the languages the survey offers, remembered for the session), never the browser's or a staff
member's, and messages are looked up by key (``answering`` and ``numbers`` return keys such as
``"required"``), so a pack is a plain ``{key: text}`` table a translator edits without tools and
the page reads without switching Django's active language. The staff interface uses gettext.

Each pack has the sections:

- ``ui``: the respondent page's own texts (buttons, validation messages, thank-you page);
- ``edge``: refusals at the request edge (``heed.core.middleware``) shown on respondent pages;
  (the packs live in ``core`` because the request edge, below every app, shows them too)
- ``invitation_email``: the invitation e-mail (``distribution.services.invitation_email_send``);
- ``template_texts``: the question and option texts of the questionnaire templates.

Placeholders use ``str.format`` syntax (``{current}``, ``{total}``, ``{min}``, ``{max}``) except
``{brand}``, which is substituted literally. In the Slavic languages the sentences are phrased so
that the brand name stays uninflected (``tvrtka {brand}``, ``компанията {brand}``, ...).

Address forms: Italian and Estonian use the informal "you" (tu / sina), as is usual for consumer
surveys in those languages; Croatian, Bulgarian and Russian use the polite plural (vi / вие / вы).

The module-level tables keep their historical shapes: ``UI_STRINGS[lang][key]``,
``EDGE_STRINGS[lang][key]``, ``INVITATION_EMAIL[lang][key]``, ``TEMPLATE_TEXTS[key][lang]``;
``SUPPORTED_LANGUAGES`` is ``{code: native name}`` from the language registry (``heed.core.languages``).
A pack missing for a registered language, or a pack whose keys differ from English, fails at import.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from heed.core import languages as language_registry

__all__ = ["EDGE_STRINGS", "INVITATION_EMAIL", "SUPPORTED_LANGUAGES", "TEMPLATE_TEXTS", "UI_STRINGS"]

SUPPORTED_LANGUAGES: dict[str, str] = language_registry.native_names()

_SECTIONS = ("ui", "edge", "invitation_email", "template_texts")


def _load_pack(code: str) -> dict[str, Any]:
    text = resources.files("heed.core").joinpath(f"data/respondent/{code}.json").read_text(encoding="utf-8")
    pack = json.loads(text)
    if pack.get("language") != code:
        raise ValueError(f"respondent pack {code}.json declares language {pack.get('language')!r}")
    return pack


def _load_packs() -> dict[str, dict[str, Any]]:
    packs = {code: _load_pack(code) for code in SUPPORTED_LANGUAGES}
    reference = packs[language_registry.default_code()]
    for code, pack in packs.items():
        for section in _SECTIONS:
            if set(pack[section]) != set(reference[section]):
                missing = sorted(set(reference[section]) ^ set(pack[section]))
                raise ValueError(f"respondent pack {code}.json, section {section}: keys differ from English: {missing}")
    return packs


_PACKS = _load_packs()

UI_STRINGS: dict[str, dict[str, str]] = {code: pack["ui"] for code, pack in _PACKS.items()}
EDGE_STRINGS: dict[str, dict[str, str]] = {code: pack["edge"] for code, pack in _PACKS.items()}
INVITATION_EMAIL: dict[str, dict[str, str]] = {code: pack["invitation_email"] for code, pack in _PACKS.items()}
TEMPLATE_TEXTS: dict[str, dict[str, str]] = {
    key: {code: pack["template_texts"][key] for code, pack in _PACKS.items()}
    for key in _PACKS[language_registry.default_code()]["template_texts"]
}
