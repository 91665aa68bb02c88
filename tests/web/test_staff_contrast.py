"""Text and focus-ring contrast of the staff stylesheet, computed from its CSS values (issue 9, point 7).

WCAG 2.1 1.4.3 (text: 4.5:1) and 1.4.11 (focus indicator: 3:1), with the contrast ratio of
tests/web/css_contrast.py. Each text colour of app.css is checked against the surfaces text sits on: its
own rule's background when it has one, the navigation bar for the navigation's rules, and otherwise white,
the page and every panel that holds running text (notes, warnings, messages). The rendered pages are
checked the same way in Chromium by tests/integration/test_browser_staff_reflow.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import heed
from tests.web.css_contrast import contrast_ratio, css_rules, hex_colour, relative_luminance

CSS = Path(heed.__file__).parent / "web" / "static" / "heed" / "app.css"
# blocks of running text with a background of their own: any text colour may sit on them
PANELS = (".warning", ".weighted-note", ".messages li", ".messages li.error", ".panel", ".card.metric")


def _rules() -> list[tuple[str, dict[str, str]]]:
    return css_rules(CSS.read_text())


def _declared(selector: str, name: str) -> str:
    colours = [hex_colour(d.get(name, "")) for s, d in _rules() if s == selector]
    found = [c for c in colours if c]
    assert found, f"{selector} declares no {name}"
    return found[-1]


def _background(declarations: dict[str, str]) -> str | None:
    return hex_colour(declarations.get("background", "")) or hex_colour(declarations.get("background-color", ""))


def _surfaces() -> list[str]:
    page = _declared("body", "background")
    return ["#ffffff", page, *(_background(d) for s, d in _rules() if s in PANELS and _background(d))]


def test_the_wcag_contrast_ratio_of_known_pairs():
    """Known values: black on white is 21:1; #767676 is the lightest grey with 4.5:1 on white (4.54),
    #777777 just misses it (4.48) (WebAIM contrast checker, WCAG 2.1 definitions)."""
    assert contrast_ratio("#000", "#fff") == pytest.approx(21.0)
    assert contrast_ratio("#fff", "#fff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#8a939e", "#ffffff") == pytest.approx(3.11, abs=0.01)  # the old "n<30" grey
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    with pytest.raises(ValueError):
        relative_luminance("grey")


def test_small_base_and_muted_text_have_4_5_to_1():
    surfaces = _surfaces()
    assert len(surfaces) >= 6
    small_base = next(d["color"] for s, d in _rules() if ".suppressed" in s.split(", ") and "color" in d)
    for colour in (hex_colour(small_base), _declared(":root", "--muted"), _declared(".legend", "color")):
        assert colour and min(contrast_ratio(colour, surface) for surface in surfaces) >= 4.5, colour


def test_every_text_colour_of_the_staff_stylesheet_has_4_5_to_1():
    surfaces = _surfaces()
    nav = _declared(".nav", "background")
    ink = _declared("body", "color")
    low: list[str] = []
    checked = 0
    for selector, declarations in _rules():
        colour = hex_colour(declarations.get("color", ""))
        own = _background(declarations)
        if colour is None and own and relative_luminance(own) > 0.5:
            colour = ink  # a light box whose text is the page's ink (badges, secondary buttons)
        if colour is None:
            continue
        behind = [own] if own else [nav] if selector.startswith(".nav") else surfaces
        ratio = min(contrast_ratio(colour, background) for background in behind)
        checked += 1
        if ratio < 4.5:
            low.append(f"{selector}: {colour} {ratio:.2f}")
    assert low == []
    assert checked >= 40


def test_the_focus_ring_has_3_to_1_against_what_surrounds_it():
    ring = _declared(":focus-visible", "outline")
    for surface in _surfaces():
        assert contrast_ratio(ring, surface) >= 3, surface
    nav_ring = _declared(".nav :focus-visible", "outline-color")
    assert contrast_ratio(nav_ring, _declared(".nav", "background")) >= 3
