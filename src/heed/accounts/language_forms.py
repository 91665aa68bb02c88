"""The staff-interface language field, on a user's own settings page and on an admin's user page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from heed.core import languages

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def language_choices() -> list[tuple[str, StrOrPromise]]:
    """``""`` (follow the browser) first, then every registered language under its own name."""
    return [("", _("The browser's language")), *((lang.code, lang.native_name) for lang in languages.languages())]


class LanguagePreferenceForm(forms.Form):
    language = forms.ChoiceField(label=_("Interface language"), choices=language_choices, required=False)
