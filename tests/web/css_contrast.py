"""WCAG 2.1 contrast of colours written in a stylesheet (for tests: the CSS values, not a rendering).

``contrast_ratio(a, b)`` is WCAG 2.1's contrast ratio (L1 + 0.05) / (L2 + 0.05) of two sRGB colours given
as ``#rgb`` or ``#rrggbb``, from their relative luminance (WCAG 2.1, "relative luminance" and "contrast
ratio" definitions, https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio); 1.0 … 21.0.
``css_rules(text)`` reads a flat stylesheet (rules, possibly inside ``@media``) into (selector,
{property: value}) pairs with ``var(--x)`` replaced by the ``:root`` value.
"""

from __future__ import annotations

import re

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_VAR = re.compile(r"var\(--([\w-]+)\)")


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """0.0 (black) … 1.0 (white); raises ValueError for anything but ``#rgb`` / ``#rrggbb``."""
    hexa = colour.strip().lower().removeprefix("#")
    if not re.fullmatch(r"[0-9a-f]{3}|[0-9a-f]{6}", hexa):
        raise ValueError(f"not a hex colour: {colour!r}")
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    r, g, b = (_channel(int(hexa[i : i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def css_rules(text: str) -> list[tuple[str, dict[str, str]]]:
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rules = []
    for selector, body in _RULE.findall(text):
        declarations = {}
        for declaration in body.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                declarations[name.strip()] = value.strip()
        rules.append((selector.strip(), declarations))
    root = next((d for s, d in rules if s == ":root"), {})
    variables = {name[2:]: value for name, value in root.items() if name.startswith("--")}
    return [
        (selector, {k: _VAR.sub(lambda m: variables.get(m.group(1), m.group(0)), v) for k, v in decls.items()})
        for selector, decls in rules
    ]


def hex_colour(value: str) -> str | None:
    """The first ``#hex`` colour in a CSS value (``3px solid #f5b700`` → ``#f5b700``), or None."""
    match = re.search(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", value)
    return match.group(0) if match else None
