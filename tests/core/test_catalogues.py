"""The staff interface's gettext catalogues (src/heed/locale/<code>/LC_MESSAGES/django.po and the committed .mo):
one per registered language other than English (the source language), every string marked in a template or in
Python translated (none empty, none fuzzy), and each compiled .mo holding exactly what its .po says.

Rebuild after editing strings: ``make messages`` (extraction needs GNU gettext's xgettext; compiling uses Babel)."""

from __future__ import annotations

import ast
import gettext
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from django.utils.translation.template import templatize

import heed
from heed.core import languages

SOURCE = Path(heed.__file__).resolve().parent
LOCALE = SOURCE / "locale"
TRANSLATED = [code for code in languages.codes() if code != languages.default_code()]
GETTEXT_CALLS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
}

_LITERAL = r"(u'(?:[^'\\]|\\.)*')"


def _text(literal: str) -> str:
    return ast.literal_eval(literal)


_TEMPLATE_CALLS = [
    (re.compile(rf"(?<![a-z])gettext\({_LITERAL}\)"), lambda m: _text(m[1])),
    (re.compile(rf"(?<![a-z])ngettext\({_LITERAL}, {_LITERAL},"), lambda m: _text(m[1])),
    (re.compile(rf"(?<![a-z])pgettext\({_LITERAL}, {_LITERAL}\)"), lambda m: (_text(m[1]), _text(m[2]))),
    (re.compile(rf"npgettext\({_LITERAL}, {_LITERAL}, {_LITERAL},"), lambda m: (_text(m[1]), _text(m[2]))),
]


@cache
def _catalogue(code: str) -> Catalog:
    with (LOCALE / code / "LC_MESSAGES" / "django.po").open("rb") as handle:
        return read_po(handle, locale=code)


def _key(message) -> str | tuple[str, str]:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return (message.context, msgid) if message.context else msgid


def _marked_in_templates() -> set:
    found: set = set()
    for template in SOURCE.rglob("templates/**/*.html"):
        text = templatize(template.read_text(encoding="utf-8"), origin=str(template))
        for pattern, key in _TEMPLATE_CALLS:
            found.update(key(match) for match in pattern.finditer(text))
    return found


def _marked_in_python() -> set:
    found: set = set()
    for module in SOURCE.rglob("*.py"):
        if "migrations" in module.parts:
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in GETTEXT_CALLS:
                continue
            args = [
                arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else None for arg in node.args
            ]
            if name.startswith("pgettext") and len(args) > 1 and args[0] is not None and args[1] is not None:
                found.add((args[0], args[1]))
            elif not name.startswith("pgettext") and args[0] is not None:
                found.add(args[0])
    return found


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_translated_language_has_a_catalogue_with_its_plural_rule(code):
    with (LOCALE / code / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    expression = languages.get(code).plural_forms.split("plural=", 1)[1].rstrip(";")
    rule = gettext.c2py(expression)  # type: ignore[attr-defined]
    assert [compiled.plural(n) for n in range(300)] == [rule(n) for n in range(300)]  # type: ignore[attr-defined]
    assert compiled.info()["language"] == code


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated(code):
    untranslated = []
    for message in _catalogue(code):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else [message.string]
        if message.fuzzy or not all(strings):
            untranslated.append(message.id)
    assert untranslated == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_marked_string_is_in_the_catalogue(code):
    marked = _marked_in_templates() | _marked_in_python()
    assert len(marked) > 100  # the extraction itself works
    known = {_key(message) for message in _catalogue(code) if message.id}
    assert sorted(map(str, marked - known)) == []


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalogue_matches_its_source(code):
    with (LOCALE / code / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    compiled.pop("", None)  # the header
    expected = {}
    for message in _catalogue(code):
        if not message.id or message.fuzzy:
            continue
        prefix = f"{message.context}\x04" if message.context else ""
        if isinstance(message.id, tuple | list):
            for index, text in enumerate(message.string):
                expected[(prefix + message.id[0], index)] = text
        else:
            expected[prefix + message.id] = message.string
    assert compiled == expected, "run `make messages` to compile the catalogues again"
