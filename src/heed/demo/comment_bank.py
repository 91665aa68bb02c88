"""Hand-written customer comments per language and sentiment, for demo data, read from ``data/*.json``.

The comments are written for a retail chain selling clothes and home goods. ``negative`` comments
fit detractor scores (0-6), ``neutral`` ones passives (7-8) and ``positive`` ones promoters (9-10)
(``data/comment_bank.json``). ``STAFF_PRAISE`` / ``STAFF_CRITICISM`` (``data/staff_praise.json``,
``data/staff_criticism.json``): five promoter / detractor comments per language naming a staff member,
``{name}`` standing for a first name kept in the nominative, so any first name fits without inflection.

Apostrophes are typographic (’) on purpose: only a couple of comments per language contain
characters that HTML-escaping changes (``<``, ``&``, straight quotes), so the demo exercises
escaping without every other comment doing so as well.

Production code never imports this module; the demo seeder passes the comments in.
"""

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
COMMENT_BANK_PATH = DATA / "comment_bank.json"


def _load(name: str) -> dict[str, Any]:
    raw = json.loads((DATA / name).read_text("utf-8"))
    return {lang: value for lang, value in raw.items() if not lang.startswith("_")}


COMMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    lang: {label: tuple(texts) for label, texts in by_label.items()}
    for lang, by_label in _load("comment_bank.json").items()
}
STAFF_PRAISE: dict[str, tuple[str, ...]] = {lang: tuple(texts) for lang, texts in _load("staff_praise.json").items()}
STAFF_CRITICISM: dict[str, tuple[str, ...]] = {
    lang: tuple(texts) for lang, texts in _load("staff_criticism.json").items()
}
