"""Language packs (``heed/nlp/data/<lang>/``) and the boundaries of the pure NLP package."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from heed.nlp import lexicon, packs
from heed.nlp.themes import DEFAULT_TAXONOMY, STOP_WORDS

SRC = Path(__file__).resolve().parents[2] / "src" / "heed"
SHIPPED = ("bg", "en", "et", "hr", "it", "ru")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_every_shipped_language_has_a_complete_pack():
    assert packs.pack_languages() == SHIPPED  # eval/ holds no pack part, so it is not a language
    for lang in SHIPPED:
        assert set(packs.pack(lang, "sentiment")) == {
            "positive", "negative", "negators", "quantifiers", "quantifier_stops", "negatable"
        }  # fmt: skip
        assert set(packs.pack(lang, "themes")) == {"themes", "stop_words"}
        assert set(packs.pack(lang, "staff")) == {
            "common_word_names", "clause_words", "pronouns", "and_words", "bare_negations"
        }  # fmt: skip
        for part in packs.PARTS:
            for name, entries in packs.pack(lang, part).items():
                if name == "themes":
                    continue
                assert all(isinstance(e, str) and e == e.lower() and e.strip() == e for e in entries), (lang, name)


def test_the_default_taxonomy_has_a_name_and_keywords_in_every_pack():
    keys = packs.taxonomy_keys()
    assert [t.key for t in DEFAULT_TAXONOMY] == list(keys) and len(keys) == 17
    for theme in DEFAULT_TAXONOMY:
        assert set(theme.names) == set(SHIPPED) and set(theme.keywords) == set(SHIPPED), theme.key
    assert set(packs.pack("hr", "themes")["themes"]) == set(keys)


def test_the_lexicon_tables_come_from_the_packs():
    assert lexicon.POSITIVE["hr"] == tuple(packs.pack("hr", "sentiment")["positive"])
    assert "ljubazn" in lexicon.POSITIVE["hr"] and "nepristojan" in lexicon.NEGATIVE["hr"]
    assert lexicon.QUANTIFIERS["et"] == ()  # present and empty: Estonian negates with the verb
    assert "the" in STOP_WORDS["en"]


def test_a_language_without_a_pack_or_an_unknown_part():
    assert packs.pack("xx", "sentiment") == {} and packs.pack("", "themes") == {} and packs.pack("../en", "staff") == {}
    with pytest.raises(ValueError, match="unknown pack part"):
        packs.pack("en", "grammar")


def test_the_nlp_package_imports_neither_django_nor_another_heed_package():
    for path in sorted((SRC / "nlp").rglob("*.py")):
        for name in _imports(path):
            assert not name.startswith("django"), (path.name, name)
            assert not name.startswith("heed.") or name.startswith("heed.nlp"), (path.name, name)


def test_production_code_never_imports_demo_data():
    for path in sorted(SRC.rglob("*.py")):
        if "demo" in path.relative_to(SRC).parts[:1]:
            continue
        assert not any(n == "heed.demo" or n.startswith("heed.demo.") for n in _imports(path)), path
