"""Pick the language a respondent sees: explicit choice, then the browser's, then the default."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from django.utils.translation.trans_real import parse_accept_lang_header

from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES

# The supported language codes as a type: API schemas list them as an enum in the OpenAPI. The codes are known
# only at run time (the language registry), so a static type checker sees a plain str.
if TYPE_CHECKING:
    LanguageCode = str
else:
    LanguageCode = Literal[tuple(SUPPORTED_LANGUAGES)]


def pick_language(
    *,
    offered: list[str],
    default: str,
    requested: str | None = None,
    remembered: str | None = None,
    accept_language: str = "",
) -> str:
    for candidate in (requested, remembered):
        if candidate and candidate in offered:
            return candidate
    for tag, _quality in parse_accept_lang_header(accept_language[:500]):
        base = tag.lower().split("-")[0]
        if base in offered:
            return base
    return default
