"""The one registry of labels people read on staff pages, instead of the keys stored in the database.

Every staff page and every label the API renders for a page takes its text from here: channels,
touchpoints, languages, comment tones, skip-logic operators, score groups and breakdown
dimensions. Labels that depend on an organisation's own data come from their owners' selectors
and fall back to :func:`humanize` here: option labels from the survey version's definition
(``surveys.selectors.option_labels``) and theme names from the taxonomy
(``textanalytics.selectors.theme_names``).

The labels are marked for gettext (``gettext_lazy``): the tables hold lazy strings and every
``*_label`` function returns a plain ``str`` in the active language (the user's, see
``accounts.middleware``). Respondent-facing texts live in ``core.respondent_strings``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from heed.core import languages
from heed.core.channels import Channel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CHANNELS: dict[str, StrOrPromise] = dict(Channel.choices)

# Touchpoints are free text on a link (``SurveyLink.touchpoint``); these are the usual ones.
TOUCHPOINTS: dict[str, StrOrPromise] = {
    "store": _("In store"),
    "checkout": _("Checkout"),
    "after purchase": _("After purchase"),
    "after_purchase": _("After purchase"),
    "delivery": _("Delivery"),
    "returns": _("Returns"),
    "returns_refunds": _("Returns & refunds"),
    "support": _("Customer support"),
    "support call": _("Support call"),
    "support_call": _("Support call"),
    "online": _("Online shop"),
    "web": _("Website"),
    "app": _("Mobile app"),
}


def _language_name(code: str) -> str:
    return languages.get(code).name_in(get_language())


# Staff UI language names in the reader's language, from the registry's CLDR names (not gettext: Django's own
# Croatian catalogue names Bulgarian "Unesite ispravnu IPv4 adresu."); respondents see each language's own name.
LANGUAGES: dict[str, StrOrPromise] = {
    **{code: lazy(_language_name, str)(code) for code in languages.codes()},
    "unknown": _("Not detected"),
}

# Skip-logic operators of ``surveys.definition.Condition``.
OPERATORS: dict[str, StrOrPromise] = {
    "eq": _("is"),
    "ne": _("is not"),
    "in": _("is one of"),
    "not_in": _("is none of"),
    "lte": _("is at most"),
    "gte": _("is at least"),
    "answered": _("is answered"),
}

QUESTION_TYPES: dict[str, StrOrPromise] = {
    "nps": _("NPS (0–10)"),
    "csat": _("CSAT (1–5)"),
    "ces": _("CES (1–7)"),
    "likert": _("Agreement scale"),
    "rating": _("Rating"),
    "single_choice": _("Single choice"),
    "multiple_choice": _("Multiple choice"),
    "text": _("Open text"),
    "number": _("Number"),
    "date": _("Date"),
    "age_group": _("Age group"),
    "gender": _("Gender"),
    "region": _("Region"),
}

# A question type as the noun before "question" in a sentence ("an NPS question", "a single-choice question").
QUESTION_NOUNS: dict[str, StrOrPromise] = {
    "nps": "NPS",
    "csat": "CSAT",
    "ces": "CES",
    "likert": "agreement-scale",
    "rating": "rating",
    "single_choice": "single-choice",
    "multiple_choice": "multiple-choice",
    "text": "open-text",
    "number": "number",
    "date": "date",
    "age_group": "age-group",
    "gender": "gender",
    "region": "region",
}

# Letters whose English names begin with a vowel sound: an acronym starting with one takes "an" ("an NPS").
_VOWEL_SOUND_LETTERS = set("AEFHILMNORSX")

# The tone of a comment or of a sentence naming a member of staff (``TextAnnotation.sentiment``).
TONES: dict[str, StrOrPromise] = {"positive": _("Positive"), "neutral": _("Neutral"), "negative": _("Negative")}

DIMENSIONS: dict[str, StrOrPromise] = {
    "unit": _("Unit"),
    "channel": _("Channel"),
    "language": _("Language"),
    "age_group": _("Age group"),
    "gender": _("Gender"),
    "region": _("Region"),
    "touchpoint": _("Touchpoint"),
    "week": _("Week"),
    "month": _("Month"),
}

# Score groups of the comment list: NPS groups (Reichheld 2003), CSAT and CES bands.
SCORE_GROUPS: dict[str, StrOrPromise] = {
    "nps_detractor": _("NPS detractors (0–6)"),
    "nps_passive": _("NPS passives (7–8)"),
    "nps_promoter": _("NPS promoters (9–10)"),
    "csat_low": _("CSAT dissatisfied (1–2)"),
    "csat_neutral": _("CSAT neutral (3)"),
    "csat_top2": _("CSAT satisfied, top-2-box (4–5)"),
    "ces_hard": _("CES difficult (1–3)"),
    "ces_neutral": _("CES neutral (4)"),
    "ces_easy": _("CES easy (5–7)"),
}

# Importance-performance quadrants of the key driver analysis and what each asks for (``heed.stats.drivers``).
QUADRANTS: dict[str, StrOrPromise] = {
    "key weakness": _("key weakness"),
    "key strength": _("key strength"),
    "secondary weakness": _("secondary weakness"),
    "secondary strength": _("secondary strength"),
}
QUADRANT_ACTIONS: dict[str, StrOrPromise] = {
    "fix first": _("fix first"),
    "maintain": _("maintain"),
    "low priority": _("low priority"),
    "possible overkill": _("possible overkill"),
}

NONE_LABEL = _("(none)")


def humanize(key: str | None) -> str:
    """A readable fallback for a key nobody labelled: ``"returns_refunds"`` -> ``"Returns refunds"``."""
    if key is None or str(key).strip() == "":
        return str(NONE_LABEL)
    text = str(key).replace("_", " ").replace("-", " ").strip()
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def _lookup(table: Mapping[str, StrOrPromise], key: str | None) -> str:
    if key is None or key == "":
        return str(NONE_LABEL)
    return str(table.get(key) or table.get(str(key).lower()) or humanize(key))


def indefinite_article(phrase: str) -> str:
    """``"a"`` or ``"an"`` for ``phrase`` by the sound of its first word: an acronym is read letter by letter
    ("an NPS", "a CSAT", "a CES"), other words by their first letter ("an open-text", "a rating")."""
    word = phrase.split(maxsplit=1)[0] if phrase.strip() else ""
    if not word:
        return "a"
    if len(word) > 1 and word.isupper():
        return "an" if word[0] in _VOWEL_SOUND_LETTERS else "a"
    return "an" if word[0].lower() in "aeiou" else "a"


def question_kind_phrase(kind: str | None) -> str:
    """A question type as it reads in a sentence, with its article: ``"nps"`` -> ``"an NPS question"``,
    ``"csat"`` -> ``"a CSAT question"``, ``"single_choice"`` -> ``"a single-choice question"``."""
    noun = str(QUESTION_NOUNS.get(str(kind or "")) or humanize(kind).lower())
    return f"{indefinite_article(noun)} {noun} question"


def channel_label(key: str | None) -> str:
    return _lookup(CHANNELS, key)


def touchpoint_label(key: str | None) -> str:
    return _lookup(TOUCHPOINTS, key)


def language_label(code: str | None) -> str:
    return _lookup(LANGUAGES, code)


def operator_label(op: str | None) -> str:
    return _lookup(OPERATORS, op)


def question_type_label(kind: str | None) -> str:
    return _lookup(QUESTION_TYPES, kind)


def tone_label(tone: str | None) -> str:
    return _lookup(TONES, tone)


def dimension_label(dimension: str) -> str:
    return _lookup(DIMENSIONS, dimension)


def score_group_label(group: str | None) -> str:
    return _lookup(SCORE_GROUPS, group)


def quadrant_label(quadrant: str | None) -> str:
    return _lookup(QUADRANTS, quadrant)


def quadrant_action_label(action: str | None) -> str:
    return _lookup(QUADRANT_ACTIONS, action)


_BY_DIMENSION = {"channel": channel_label, "touchpoint": touchpoint_label, "language": language_label}


def value_label(dimension: str, key: str | None) -> str:
    """The label of a breakdown value that needs no database (channel, touchpoint, language)."""
    label = _BY_DIMENSION.get(dimension)
    return label(key) if label else (str(NONE_LABEL) if key in (None, "") else str(key))
