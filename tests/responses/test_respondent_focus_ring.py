"""Issue 9, point 6: the respondent pages' focus ring has at least 3:1 contrast against the colours next to it
(WCAG 2.1 SC 1.4.11 Non-text Contrast, SC 2.4.7 Focus Visible), computed from ``respond.css`` itself.

The ring is an outline drawn ``outline-offset`` outside the focused element, so the colours next to it are the
backgrounds it is drawn on: the page, the card, a chosen option's tint and the error summary (which sits on the
card). Before: ``#f5b700`` on white, 1.8:1. The same in Chromium: ``tests/integration/test_browser_respond_a11y.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import heed.web

CSS = (Path(heed.web.__file__).parent / "static" / "heed" / "respond.css").read_text(encoding="utf-8")


def relative_luminance(colour: str) -> float:
    """Relative luminance of an sRGB ``#rrggbb`` colour, 0 (black) to 1 (white).

    Source: WCAG 2.1, definition "relative luminance" (https://www.w3.org/TR/WCAG21/#dfn-relative-luminance),
    with the sRGB threshold 0.04045 of IEC 61966-2-1 (WCAG's 0.03928 gives the same result for 8-bit values).
    """
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), L1 the lighter: 1 to 21. Source: WCAG 2.1, definition "contrast ratio"."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#767676", "#ffffff", 4.54),
        ("#f5b700", "#ffffff", 1.8),
    ],
)
def test_contrast_ratio_matches_known_values(first, second, expected):
    """#767676 on white is the usual 4.5:1 example (WebAIM contrast checker: 4.54:1); #f5b700 is the old ring."""
    assert contrast_ratio(first, second) == pytest.approx(expected, abs=0.005)


def _declarations(selector: str) -> dict[str, str]:
    """The declarations of the first rule whose selector list is exactly ``selector``."""
    match = re.search(r"(?:^|\})\s*" + re.escape(selector) + r"\s*\{([^}]*)\}", CSS, re.MULTILINE)
    assert match, f"no rule {selector} in respond.css"
    pairs = (item.split(":", 1) for item in match.group(1).split(";") if item.strip())
    return {name.strip(): value.strip() for name, value in pairs}


def _colour(value: str) -> str:
    """A ``#rrggbb`` colour from a declaration value (``#rgb`` expanded) (a literal or a custom property of :root)."""
    variable = re.search(r"var\((--[\w-]+)\)", value)
    if variable:
        value = _declarations(":root")[variable.group(1)]
    found = re.search(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", value)
    assert found, f"no #rrggbb or #rgb colour in {value!r}"
    digits = found.group(1).lower()
    return "#" + (digits if len(digits) == 6 else "".join(d * 2 for d in digits))


def test_the_focus_ring_is_drawn_outside_and_is_at_least_3_to_1_against_every_background_it_sits_on():
    ring = _declarations(":focus-visible")
    width, style, colour_value = ring["outline"].split(" ", 2)
    assert style == "solid" and float(width.removesuffix("px")) >= 2
    assert float(ring["outline-offset"].removesuffix("px")) > 0  # drawn on the background, not on the element
    ring_colour = _colour(colour_value)
    backgrounds = {
        "page": _colour(_declarations("body")["background"]),
        "card": _colour(_declarations(".card")["background"]),
        "chosen option": _colour(_declarations(".option:has(input:checked)")["background"]),
    }
    ratios = {name: round(contrast_ratio(ring_colour, bg), 2) for name, bg in backgrounds.items()}
    assert all(ratio >= 3 for ratio in ratios.values()), ratios
    assert "background" not in _declarations(".error-summary")  # it sits on the card
    summary = _declarations(".error-summary:focus")  # focused by the page itself, so :focus, not :focus-visible
    assert _colour(summary["outline"]) == ring_colour and summary["outline-offset"] == ring["outline-offset"]
