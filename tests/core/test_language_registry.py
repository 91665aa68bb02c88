"""One registry of languages (src/heed/core/data/languages.json): every list of languages in Heed comes from it."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

from django.conf import settings

import heed
from heed.core import languages

SIX = {"it", "hr", "bg", "ru", "et", "en"}


def test_the_registry_holds_the_six_languages_with_their_names_and_decimal_marks():
    assert languages.codes() == ("en", "it", "hr", "bg", "ru", "et")
    assert languages.default_code() == "en"
    assert languages.get("hr").name == "Croatian" and languages.get("hr").native_name == "Hrvatski"
    assert languages.native_names()["bg"] == "Български"
    assert languages.english_names()["et"] == "Estonian"
    assert languages.decimal_marks() == {"en": ".", "it": ",", "hr": ",", "bg": ",", "ru": ",", "et": ","}


def test_every_list_of_languages_is_the_registry():
    from heed.core import labels
    from heed.demo.seed import LANGUAGES as DEMO_LANGUAGES
    from heed.surveys.i18n_strings import EDGE_STRINGS, INVITATION_EMAIL, SUPPORTED_LANGUAGES, UI_STRINGS
    from heed.surveys.language import LanguageCode
    from heed.surveys.numbers import DECIMAL_MARKS

    codes = languages.codes()
    assert [code for code, _name in settings.LANGUAGES] == list(codes)
    assert languages.default_code() == settings.LANGUAGE_CODE
    assert list(SUPPORTED_LANGUAGES) == list(codes)
    assert set(UI_STRINGS) == set(EDGE_STRINGS) == set(INVITATION_EMAIL) == set(codes)
    assert typing.get_args(LanguageCode) == codes
    assert languages.decimal_marks() == DECIMAL_MARKS
    assert list(codes) == DEMO_LANGUAGES
    assert set(labels.LANGUAGES) == {*codes, "unknown"}


def test_no_python_module_spells_out_the_languages_again():
    """A literal tuple, list, set or dict naming all six languages is a second registry; data files hold language
    data instead (the registry, the respondent packs, the demo data). Not checked here: the NLP's own language data
    (lexicons, taxonomy, name forms), which the NLP change moves into ``heed/nlp/data`` and whose pure package may
    not import ``heed.core`` (import contract), and the demo comment bank, which that change moves to
    ``demo/data/comment_bank.json``."""
    offenders = []
    source = Path(heed.__file__).resolve().parent
    nlp_data = {source / "textanalytics" / name for name in ("lexicon.py", "themes.py", "staff.py")}
    nlp_data.add(source / "demo" / "comment_bank.py")
    for module in source.rglob("*.py"):
        if "migrations" in module.parts or "nlp" in module.relative_to(source).parts[:1] or module in nlp_data:
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                items = node.keys
            elif isinstance(node, ast.Tuple | ast.List | ast.Set):
                items = node.elts
            else:
                continue
            strings = {item.value for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str)}
            if strings >= SIX:
                offenders.append(f"{module.relative_to(module.parents[2])}:{node.lineno}")
    assert offenders == []


def test_staff_read_language_names_in_their_own_language():
    from django.utils import translation

    from heed.core.labels import language_label

    assert languages.get("bg").name_in("hr") == "Bugarski"
    assert languages.get("hr").name_in("it-IT") == "Croato"
    assert languages.get("hr").name_in("de") == "Croatian"  # an unregistered reader reads English
    with translation.override("hr"):
        # Django's own Croatian catalogue names Bulgarian "Unesite ispravnu IPv4 adresu."; the registry does not
        labels = [language_label(code) for code in ("bg", "it", "unknown")]
        assert labels == ["Bugarski", "Talijanski", "Nije prepoznat"]
    with translation.override("et"):
        assert language_label("ru") == "Vene"
    assert language_label("ru") == "Russian"
