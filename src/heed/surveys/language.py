"""The language codes a survey may offer, as a type; picking a respondent's language is
:func:`heed.core.languages.pick_language` (re-exported here)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from heed.core import languages
from heed.core.languages import pick_language

__all__ = ["LanguageCode", "pick_language"]

# The supported language codes as a type: API schemas list them as an enum in the OpenAPI.
if TYPE_CHECKING:  # known at run time only: a static checker sees a plain str
    LanguageCode = str
else:
    LanguageCode = Literal[languages.codes()]
