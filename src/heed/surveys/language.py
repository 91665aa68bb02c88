"""The language codes a survey may offer, as a type; picking a respondent's language is
:func:`heed.core.languages.pick_language` (re-exported here)."""

from __future__ import annotations

from typing import Literal

from heed.core import languages
from heed.core.languages import pick_language

__all__ = ["LanguageCode", "pick_language"]

# The supported language codes as a type: API schemas list them as an enum in the OpenAPI.
LanguageCode = Literal[languages.codes()]  # type: ignore[valid-type]
