"""The one rule for control characters in text input: refuse them at the edge.

Refused: every C0 control character (U+0000-U+001F) except tab, line feed and carriage return,
and lone UTF-16 surrogates (U+D800-U+DFFF, which JSON can spell as ``"\\ud800"``). PostgreSQL
cannot store NUL in text or ``jsonb`` and no encoder accepts a lone surrogate, so such text would
otherwise end in a 500 on one database and in stored garbage on the other. Nothing is stripped
silently: the caller learns which field held the character. ``heed.core.middleware`` applies the
rule to every path, query string, form field and JSON string or key; code that
reads uploaded files as text calls ``find_control_character`` itself.
"""

from __future__ import annotations

import re
from typing import Any

ALLOWED_CONTROLS = "\t\n\r"
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def find_control_character(text: str) -> str | None:
    """The first forbidden character of ``text`` as ``U+XXXX``, or None when the text is clean."""
    match = _FORBIDDEN.search(text)
    return None if match is None else f"U+{ord(match.group()):04X}"


def find_in_json(value: Any, where: str = "body") -> tuple[str, str] | None:
    """Walk parsed JSON; return (location, ``U+XXXX``) of the first forbidden character in a string or key."""
    stack: list[tuple[str, Any]] = [(where, value)]
    while stack:
        location, item = stack.pop()
        if isinstance(item, str):
            if found := find_control_character(item):
                return location, found
        elif isinstance(item, dict):
            for key, child in item.items():
                if found := find_control_character(key):
                    return f"{location} (a key)", found
                stack.append((f"{location}.{key}", child))
        elif isinstance(item, list):
            stack.extend((f"{location}[{index}]", child) for index, child in enumerate(item))
    return None
