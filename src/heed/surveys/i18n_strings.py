"""Respondent-facing strings: the packs are read by :mod:`heed.core.respondent_strings` (the request edge, below
every app, shows them too); this module keeps the names surveys, responses and distribution import."""

from heed.core.respondent_strings import (
    EDGE_STRINGS,
    INVITATION_EMAIL,
    SUPPORTED_LANGUAGES,
    TEMPLATE_TEXTS,
    UI_STRINGS,
)

__all__ = ["EDGE_STRINGS", "INVITATION_EMAIL", "SUPPORTED_LANGUAGES", "TEMPLATE_TEXTS", "UI_STRINGS"]
