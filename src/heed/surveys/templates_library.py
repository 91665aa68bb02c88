"""Questionnaire templates for the common CX studies, translated into every supported language.

Each template is plain data; ``template_questions`` renders it for an organisation's brand and
languages. Texts live in ``i18n_strings.TEMPLATE_TEXTS`` so a translator edits one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from heed.surveys.i18n_strings import TEMPLATE_TEXTS

AGE_GROUPS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
WHY_NOT_VALUES = ("price", "size", "browsing", "queue", "quality", "other")
HOUSEHOLD_SIZES = ("1", "2", "3", "4", "5+")
HOME_AREAS = ("local", "nearby", "country", "abroad")


@dataclass(frozen=True)
class TemplateQuestion:
    key: str
    type: str
    text: str
    required: bool = False
    options: tuple[str, ...] = ()  # text keys, or literal values for age groups
    metric: str = ""
    show_if: dict[str, Any] | None = None
    option_values: tuple[str, ...] = ()
    screen_out_if: dict[str, Any] | None = None


@dataclass(frozen=True)
class Template:
    key: str
    title: str
    description: str
    questions: tuple[TemplateQuestion, ...] = field(default_factory=tuple)


_SCALE_LABELS = {"csat": "csat_{}", "ces": "ces_{}", "likert": "likert_{}"}
_SCALE_SIZES = {"csat": 5, "ces": 7, "likert": 5}

_COMMENT = TemplateQuestion("comment", "text", "comment")
_AGE = TemplateQuestion("age_group", "age_group", "age_group", options=AGE_GROUPS)
_GENDER = TemplateQuestion(
    "gender",
    "gender",
    "gender",
    options=("gender_female", "gender_male", "gender_other", "gender_na"),
    option_values=("female", "male", "other", "na"),
)

TEMPLATES: dict[str, Template] = {
    t.key: t
    for t in (
        Template(
            "relationship_nps",
            "Relationship NPS",
            "How likely customers are to recommend you, and why.",
            (
                TemplateQuestion("nps", "nps", "nps", required=True, metric="nps"),
                TemplateQuestion("nps_reason", "text", "nps_reason"),
                _AGE,
                _GENDER,
            ),
        ),
        Template(
            "transaction_csat",
            "Post-transaction CSAT",
            "Satisfaction right after a purchase or service.",
            (
                TemplateQuestion("csat", "csat", "csat", required=True, metric="csat"),
                TemplateQuestion("nps", "nps", "nps", metric="nps"),
                _COMMENT,
            ),
        ),
        Template(
            "ces",
            "Customer effort (CES)",
            "How easy it was to get an issue handled.",
            (
                TemplateQuestion("ces", "ces", "ces", required=True, metric="ces"),
                _COMMENT,
            ),
        ),
        Template(
            "store_intercept",
            "Store intercept visit",
            "Screening (18+, visited today), experience in the store, merchandise, staff, whether the visitor "
            "bought (and why not), and the visitor's profile for market statistics.",
            (
                # Screening: under 18, or not a visitor of the store today, ends the interview as screened out.
                # Not required, so answer sets made before screening existed stay valid; the interviewer app
                # asks them first, and an analyst can make them required in the builder.
                TemplateQuestion(
                    "screen_age",
                    "single_choice",
                    "screen_age",
                    options=("yes", "no"),
                    option_values=("yes", "no"),
                    screen_out_if={"question": "screen_age", "op": "eq", "value": "no"},
                ),
                TemplateQuestion(
                    "screen_visited",
                    "single_choice",
                    "screen_visited",
                    options=("yes", "no"),
                    option_values=("yes", "no"),
                    screen_out_if={"question": "screen_visited", "op": "eq", "value": "no"},
                ),
                # The battery: five CSAT questions in a row (straight-lining is looked for on such batteries).
                TemplateQuestion("store_experience", "csat", "store_experience", required=True, metric="csat"),
                TemplateQuestion("store_tidiness", "csat", "store_tidiness", metric="none"),
                TemplateQuestion("merchandise", "csat", "merchandise", metric="none"),
                TemplateQuestion("staff_behaviour", "csat", "staff_behaviour", metric="none"),
                TemplateQuestion("staff_professionalism", "csat", "staff_professionalism", metric="none"),
                TemplateQuestion(
                    "did_buy",
                    "single_choice",
                    "did_buy",
                    required=True,
                    options=("yes", "no"),
                    option_values=("yes", "no"),
                ),
                TemplateQuestion(
                    "why_not_buy",
                    "multiple_choice",
                    "why_not_buy",
                    required=True,
                    options=(
                        "why_not_price",
                        "why_not_size",
                        "why_not_browsing",
                        "why_not_queue",
                        "why_not_quality",
                        "why_not_other",
                    ),
                    option_values=WHY_NOT_VALUES,
                    show_if={"question": "did_buy", "op": "eq", "value": "no"},
                ),
                TemplateQuestion(
                    "why_not_other",
                    "text",
                    "why_not_other_text",
                    show_if={
                        "all": [
                            {"question": "did_buy", "op": "eq", "value": "no"},
                            {"question": "why_not_buy", "op": "eq", "value": "other"},
                        ]
                    },
                ),  # fmt: skip
                TemplateQuestion("nps", "nps", "nps", metric="nps"),
                _COMMENT,
                # The visitor's profile (market statistics from intercepts: segment sizes, catchment area).
                _AGE,
                _GENDER,
                TemplateQuestion(
                    "home_area",
                    "region",
                    "home_area",
                    options=("area_local", "area_nearby", "area_country", "area_abroad"),
                    option_values=HOME_AREAS,
                ),
                TemplateQuestion(
                    "household_size",
                    "single_choice",
                    "household_size",
                    options=tuple(f"household_{i}" for i in range(1, 6)),
                    option_values=HOUSEHOLD_SIZES,
                ),
            ),
        ),
        Template(
            "complaint_followup",
            "Complaint follow-up",
            "How a complaint was resolved, and suggestions.",
            (
                TemplateQuestion(
                    "complaint_resolved",
                    "single_choice",
                    "complaint_resolved",
                    required=True,
                    options=("complaint_resolved_fully", "complaint_resolved_partly", "complaint_resolved_not"),
                    option_values=("fully", "partly", "not"),
                ),
                TemplateQuestion("csat", "csat", "csat", metric="csat"),
                TemplateQuestion("complaint_suggestions", "text", "complaint_suggestions"),
            ),
        ),
        Template(
            "engagement",
            "Customer engagement (5 questions)",
            "Satisfaction, repurchase, recommendation, promise kept, fair solution.",
            (
                TemplateQuestion("eng_overall", "csat", "eng_overall", required=True, metric="csat"),
                TemplateQuestion(
                    "eng_buy_again",
                    "rating",
                    "eng_buy_again",
                    required=True,
                    options=tuple(f"likely_{i}" for i in range(1, 6)),
                ),
                TemplateQuestion("nps", "nps", "nps", required=True, metric="nps"),
                TemplateQuestion("eng_promise", "likert", "eng_promise", required=True),
                TemplateQuestion("eng_fair", "likert", "eng_fair", required=True),
            ),
        ),
    )
}


def _texts(text_key: str, languages: list[str], brand: str) -> dict[str, str]:
    translations = TEMPLATE_TEXTS[text_key]
    return {lang: translations.get(lang, translations["en"]).replace("{brand}", brand) for lang in languages}


def template_questions(template: Template, *, languages: list[str], brand: str) -> list[dict[str, Any]]:
    """Question dicts (as ``Question`` fields) for ``template`` in ``languages``."""
    questions: list[dict[str, Any]] = []
    for tq in template.questions:
        options: list[dict[str, Any]] = []
        low = high = None
        if tq.type in _SCALE_LABELS:
            size = _SCALE_SIZES[tq.type]
            options = [
                {"value": str(i), "labels": _texts(_SCALE_LABELS[tq.type].format(i), languages, brand)}
                for i in range(1, size + 1)
            ]
        elif tq.type == "rating":
            low, high = 1, len(tq.options)
            options = [
                {"value": str(i), "labels": _texts(key, languages, brand)} for i, key in enumerate(tq.options, start=1)
            ]
        elif tq.type == "age_group":
            options = [{"value": v, "labels": dict.fromkeys(languages, v)} for v in tq.options]
        elif tq.options:
            values = tq.option_values or tq.options
            options = [
                {"value": v, "labels": _texts(k, languages, brand)} for v, k in zip(values, tq.options, strict=True)
            ]
        questions.append(
            {
                "key": tq.key,
                "type": tq.type,
                "required": tq.required,
                "texts": _texts(tq.text, languages, brand),
                "options": options,
                "min_value": low,
                "max_value": high,
                "metric": tq.metric,
                "show_if": tq.show_if,
                "screen_out_if": tq.screen_out_if,
            }
        )
    return questions


def default_options(qtype: str, *, languages: list[str], brand: str) -> list[dict[str, Any]]:
    """Standard options for scale and demographic types, so a builder need not type them."""
    presets = {"csat": "csat", "ces": "ces", "likert": "likert", "age_group": "age_group", "gender": "gender"}
    if qtype not in presets:
        return []
    template_question = (
        next(q for t in TEMPLATES.values() for q in t.questions if q.type == qtype)
        if qtype in {"age_group", "gender"}
        else TemplateQuestion(qtype, qtype, "comment")
    )
    rendered = template_questions(Template("", "", "", (template_question,)), languages=languages, brand=brand)
    return rendered[0]["options"]
