"""The ids an HTML page refers to (``aria-describedby``, ``aria-labelledby``, ``aria-controls``, ``<label for>``)
and whether each exists: a reference to an id that is not rendered points a screen reader at nothing."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

REFERRING = ("aria-describedby", "aria-labelledby", "aria-controls", "aria-errormessage")


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.references: list[tuple[str, str, str]] = []  # (tag, attribute, id)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids[values["id"]] += 1
        for name in REFERRING:
            if name in values:
                ids = (values[name] or "").split()
                self.references += [(tag, name, ref) for ref in ids] or [(tag, name, "")]
        if tag == "label" and "for" in values:
            self.references.append((tag, "for", values["for"] or ""))

    handle_startendtag = handle_starttag


def broken_references(html: str) -> list[str]:
    """Each reference to an id that is missing (or empty), and each id given to more than one element
    (a reference to it is ambiguous), as ``"<tag attribute=id>"`` strings; empty when the page is sound."""
    parser = _Ids()
    parser.feed(html)
    broken = [f"<{tag} {attribute}={ref!r}>" for tag, attribute, ref in parser.references if parser.ids[ref] == 0]
    broken += [f"id {name!r} used {count} times" for name, count in parser.ids.items() if count > 1]
    return broken
