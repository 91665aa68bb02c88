"""Language packs: the words Heed's text analytics needs in each language, read from data files once.

One directory per language under ``heed/nlp/data/<code>/`` (ISO 639-1 code, lower case), each holding:

* ``sentiment.json`` — the cold-start sentiment lexicon (:mod:`heed.nlp.lexicon`): ``positive``,
  ``negative`` and ``negators`` entries, and the complaint tables ``quantifiers``, ``quantifier_stops``
  and ``negatable``; lists of lower-case strings.
* ``themes.json`` — ``themes``: ``{theme key: {"name": str, "keywords": [str]}}`` for the default
  taxonomy (:mod:`heed.nlp.themes`), and ``stop_words``: words that never characterise a theme.
* ``staff.json`` — ``common_word_names`` (first names that are also ordinary words), and the words the
  staff-tone rules read (``clause_words``, ``pronouns``, ``and_words``, ``bare_negations``;
  :mod:`heed.nlp.staff_tone`).

``data/taxonomy.json`` lists the default taxonomy's theme keys in display order. The formats are
described in ``data/README.md``. Adding a language means adding its directory; the list of languages
Heed offers to people lives in the language registry of the Django layer, and callers here pass a
language code in. Files are read once per process (``functools.cache``); a missing part is ``{}``.
No Django, no other Heed package.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["PARTS", "by_language", "pack", "pack_languages", "taxonomy_keys"]

PARTS: tuple[str, ...] = ("sentiment", "themes", "staff")


def _data() -> Any:
    return resources.files("heed.nlp").joinpath("data")


@cache
def pack_languages() -> tuple[str, ...]:
    """The language codes that have a pack (a directory with at least one part), sorted."""
    found = []
    for entry in _data().iterdir():
        if entry.is_dir() and any(entry.joinpath(f"{part}.json").is_file() for part in PARTS):
            found.append(entry.name)
    return tuple(sorted(found))


@cache
def pack(lang: str, part: str) -> dict[str, Any]:
    """The ``part`` (one of :data:`PARTS`) of the pack of language ``lang``, as read from its JSON file;
    ``{}`` if the language has no such file. Raises ``ValueError`` for an unknown part.

    The returned dict is shared between callers: treat it as read-only."""
    if part not in PARTS:
        raise ValueError(f"unknown pack part {part!r}; expected one of {', '.join(PARTS)}")
    if not lang or not lang.isalpha():
        return {}
    path = _data().joinpath(lang, f"{part}.json")
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{lang}/{part}.json must hold a JSON object")
    return data


def by_language(part: str, name: str) -> dict[str, tuple[str, ...]]:
    """``{language: entries}`` of list ``name`` in ``part`` over every pack that has it, in file order."""
    out: dict[str, tuple[str, ...]] = {}
    for lang in pack_languages():
        data = pack(lang, part)
        if name in data:
            out[lang] = tuple(data[name])
    return out


@cache
def taxonomy_keys() -> tuple[str, ...]:
    """The default taxonomy's theme keys, in display order (``data/taxonomy.json``)."""
    raw = json.loads(_data().joinpath("taxonomy.json").read_text(encoding="utf-8"))
    return tuple(raw["themes"])
