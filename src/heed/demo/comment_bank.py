"""Hand-written customer comments per language and sentiment, for demo data, read from
``demo/data/comments/<code>.json`` (one pack per registered language).

The comments are written for a retail chain selling clothes and home goods. ``negative`` comments
fit detractor scores (0-6), ``neutral`` ones passives (7-8) and ``positive`` ones promoters (9-10).
``staff_praise`` (promoters) and ``staff_criticism`` (detractors) name a member of staff with
``{name}``, a first name the sentences keep in the nominative, avoiding gendered verb and adjective
forms so any first name fits without inflection.

Apostrophes are typographic (’) on purpose: only a couple of comments per language contain
characters that HTML-escaping changes (``<``, ``&``, straight quotes), so the demo exercises
escaping without every other comment doing so as well.

``staff_names`` are the first names of the demo's staff in that language.

Shapes: ``COMMENTS[lang][sentiment]``, ``STAFF_NAMES[lang]``, ``STAFF_PRAISE[lang]``, ``STAFF_CRITICISM[lang]``,
tuples of str.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from heed.core import languages


def _load(code: str) -> dict[str, Any]:
    pack = json.loads(resources.files("heed.demo").joinpath(f"data/comments/{code}.json").read_text(encoding="utf-8"))
    if pack.get("language") != code:
        raise ValueError(f"comment pack {code}.json declares language {pack.get('language')!r}")
    return pack


_PACKS = {code: _load(code) for code in languages.codes()}

COMMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    code: {sentiment: tuple(texts) for sentiment, texts in pack["comments"].items()} for code, pack in _PACKS.items()
}
STAFF_NAMES: dict[str, tuple[str, ...]] = {code: tuple(pack["staff_names"]) for code, pack in _PACKS.items()}
STAFF_PRAISE: dict[str, tuple[str, ...]] = {code: tuple(pack["staff_praise"]) for code, pack in _PACKS.items()}
STAFF_CRITICISM: dict[str, tuple[str, ...]] = {code: tuple(pack["staff_criticism"]) for code, pack in _PACKS.items()}
