"""The one registry of labels people read on staff pages, instead of the keys stored in the database.

Every staff page and every label the API renders for a page takes its text from here: channels,
touchpoints, languages, comment tones, skip-logic operators, score groups and breakdown
dimensions. Labels that depend on an organisation's own data come from their owners' selectors
and fall back to :func:`humanize` here: option labels from the survey version's definition
(``surveys.selectors.option_labels``) and theme names from the taxonomy
(``textanalytics.selectors.theme_names``).

Staff text is English for now; translating the staff UI means wrapping these strings in gettext
in this one module. Respondent-facing texts live in ``surveys.i18n_strings``.
"""

from __future__ import annotations

from heed.core.channels import Channel

CHANNELS: dict[str, str] = dict(Channel.choices)

# Touchpoints are free text on a link (``SurveyLink.touchpoint``); these are the usual ones.
TOUCHPOINTS: dict[str, str] = {
    "store": "In store",
    "checkout": "Checkout",
    "after purchase": "After purchase",
    "after_purchase": "After purchase",
    "delivery": "Delivery",
    "returns": "Returns",
    "returns_refunds": "Returns & refunds",
    "support": "Customer support",
    "support call": "Support call",
    "support_call": "Support call",
    "online": "Online shop",
    "web": "Website",
    "app": "Mobile app",
}

# Staff UI language names (English); respondents see each language's own name (SUPPORTED_LANGUAGES).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "it": "Italian",
    "hr": "Croatian",
    "bg": "Bulgarian",
    "ru": "Russian",
    "et": "Estonian",
    "unknown": "Not detected",
}

# Skip-logic operators of ``surveys.definition.Condition``.
OPERATORS: dict[str, str] = {
    "eq": "is",
    "ne": "is not",
    "in": "is one of",
    "not_in": "is none of",
    "lte": "is at most",
    "gte": "is at least",
    "answered": "is answered",
}

QUESTION_TYPES: dict[str, str] = {
    "nps": "NPS (0–10)",
    "csat": "CSAT (1–5)",
    "ces": "CES (1–7)",
    "likert": "Agreement scale",
    "rating": "Rating",
    "single_choice": "Single choice",
    "multiple_choice": "Multiple choice",
    "text": "Open text",
    "number": "Number",
    "date": "Date",
    "age_group": "Age group",
    "gender": "Gender",
    "region": "Region",
}

# A question type as the noun before "question" in a sentence ("an NPS question", "a single-choice question").
QUESTION_NOUNS: dict[str, str] = {
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
TONES: dict[str, str] = {"positive": "Positive", "neutral": "Neutral", "negative": "Negative"}

DIMENSIONS: dict[str, str] = {
    "unit": "Unit",
    "channel": "Channel",
    "language": "Language",
    "age_group": "Age group",
    "gender": "Gender",
    "region": "Region",
    "touchpoint": "Touchpoint",
    "week": "Week",
    "month": "Month",
}

# Score groups of the comment list: NPS groups (Reichheld 2003), CSAT and CES bands.
SCORE_GROUPS: dict[str, str] = {
    "nps_detractor": "NPS detractors (0–6)",
    "nps_passive": "NPS passives (7–8)",
    "nps_promoter": "NPS promoters (9–10)",
    "csat_low": "CSAT dissatisfied (1–2)",
    "csat_neutral": "CSAT neutral (3)",
    "csat_top2": "CSAT satisfied, top-2-box (4–5)",
    "ces_hard": "CES difficult (1–3)",
    "ces_neutral": "CES neutral (4)",
    "ces_easy": "CES easy (5–7)",
}

NONE_LABEL = "(none)"


def humanize(key: str | None) -> str:
    """A readable fallback for a key nobody labelled: ``"returns_refunds"`` -> ``"Returns refunds"``."""
    if key is None or str(key).strip() == "":
        return NONE_LABEL
    text = str(key).replace("_", " ").replace("-", " ").strip()
    text = " ".join(text.split())
    return text[:1].upper() + text[1:]


def _lookup(table: dict[str, str], key: str | None) -> str:
    if key is None or key == "":
        return NONE_LABEL
    return table.get(key) or table.get(str(key).lower()) or humanize(key)


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
    noun = QUESTION_NOUNS.get(str(kind or "")) or humanize(kind).lower()
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


_BY_DIMENSION = {"channel": channel_label, "touchpoint": touchpoint_label, "language": language_label}


def value_label(dimension: str, key: str | None) -> str:
    """The label of a breakdown value that needs no database (channel, touchpoint, language)."""
    label = _BY_DIMENSION.get(dimension)
    return label(key) if label else (NONE_LABEL if key in (None, "") else str(key))
