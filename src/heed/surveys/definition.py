"""The typed shape of a questionnaire, frozen into each published version.

A ``SurveyDefinition`` is what respondents answer and what answers are validated against. It is
built from the draft's ``Question`` rows at publish time and stored as JSON on the immutable
``SurveyVersion``, so later edits of the draft never change how collected answers are read.
"""

from __future__ import annotations

import math
import re
from functools import cached_property
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from heed.core.labels import question_kind_phrase
from heed.surveys.conditions import RuleError, check_shape, referenced_questions

QuestionType = Literal[
    "nps",
    "csat",
    "ces",
    "likert",
    "rating",
    "single_choice",
    "multiple_choice",
    "text",
    "number",
    "date",
    "age_group",
    "gender",
    "region",
]
QUESTION_TYPES: tuple[str, ...] = get_args(QuestionType)
SCALE_TYPES = {"nps", "csat", "ces", "likert", "rating"}
CHOICE_TYPES = {"single_choice", "multiple_choice", "age_group", "gender", "region"}
DEMOGRAPHIC_TYPES = {"age_group", "gender", "region"}
METRICS = ("nps", "csat", "ces")
METRIC_NONE = "none"
"""A draft question's ``metric`` is "" (decided by its type), ``none`` (counts as no metric) or a metric."""
FIXED_SCALES: dict[str, tuple[int, int]] = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7), "likert": (1, 5)}
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

Operator = Literal["eq", "ne", "in", "not_in", "lte", "gte", "answered"]


def resolve_metric(question_type: str, chosen: str) -> str:
    """The headline metric a question counts for: an explicit choice, else its type (nps/csat/ces).

    ``chosen`` is the draft's setting: "" lets the type decide, ``none`` opts out (e.g. a second NPS
    question), a metric name chooses it. Returns "" when the question counts for no metric.
    """
    if chosen == METRIC_NONE:
        return ""
    if chosen:
        return chosen
    return question_type if question_type in METRICS else ""


class Option(BaseModel):
    value: str = Field(min_length=1, max_length=60)
    labels: dict[str, str]


class Condition(BaseModel):
    """Show a question only when an earlier answer matches (see ``heed.surveys.conditions``)."""

    question: str
    op: Operator
    value: Any = None


class AllOf(BaseModel):
    """Show a question when every one of the rules holds."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, serialize_by_alias=True)
    all_of: list[ShowIf] = Field(alias="all", min_length=1)


class AnyOf(BaseModel):
    """Show a question when at least one of the rules holds."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, serialize_by_alias=True)
    any_of: list[ShowIf] = Field(alias="any", min_length=1)


class NotOf(BaseModel):
    """Show a question when the rule does not hold."""

    model_config = ConfigDict(extra="forbid", validate_by_name=True, serialize_by_alias=True)
    not_: ShowIf = Field(alias="not")


ShowIf = Condition | AllOf | AnyOf | NotOf
"""A skip-logic rule: one condition, or all/any/not over rules (JSON: see ``heed.surveys.conditions``)."""


class QuestionDef(BaseModel):
    key: str
    type: QuestionType
    required: bool = False
    texts: dict[str, str]
    options: list[Option] = []
    min: float | None = None
    max: float | None = None
    metric: Literal["", "nps", "csat", "ces"] = ""
    show_if: ShowIf | None = None
    screen_out_if: ShowIf | None = None
    """Screening: when this rule holds once the question is answered (it may look at this question and earlier
    ones), the interview ends here as screened out (not eligible). Absent in definitions saved before screening."""
    max_length: int = 2000

    @field_validator("show_if", "screen_out_if", mode="before")
    @classmethod
    def _rule_shape(cls, rule: Any) -> Any:
        if isinstance(rule, dict) and rule:
            try:
                check_shape(rule)
            except RuleError as error:
                raise ValueError(f"skip logic: {error}") from None
        return rule or None

    @field_validator("key")
    @classmethod
    def _key_is_slug(cls, key: str) -> str:
        if not KEY_RE.match(key):
            raise ValueError("keys start with a letter and use a-z, 0-9 and _ (at most 40)")
        return key

    @model_validator(mode="after")
    def _consistent(self) -> QuestionDef:
        if self.type in FIXED_SCALES:
            self.min, self.max = FIXED_SCALES[self.type]
        if self.type in SCALE_TYPES and (self.min is None or self.max is None or self.min >= self.max):
            raise ValueError(f"question {self.key}: a rating scale needs min < max")
        if self.type in CHOICE_TYPES and not self.options:
            raise ValueError(f"question {self.key}: a choice question needs options")
        values = [option.value for option in self.options]
        if len(values) != len(set(values)):
            raise ValueError(f"question {self.key}: option values must be unique")
        if self.metric and self.metric != self.type:
            raise ValueError(
                f"question {self.key}: only {question_kind_phrase(self.metric)} can carry the "
                f"{self.metric.upper()} metric"
            )
        return self

    def rule(self) -> dict[str, Any] | None:
        """``show_if`` as its JSON (``{"question", "op", "value"}`` or all/any/not), None without one. Shared:
        do not change it."""
        return self._rules[0]

    def screening_rule(self) -> dict[str, Any] | None:
        """``screen_out_if`` as its JSON, None for a question that does not screen. Shared: do not change it."""
        return self._rules[1]

    @cached_property
    def _rules(self) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """show_if and screen_out_if as JSON, made on first use and kept in the instance's ``__dict__``: every
        response of a batch evaluates them (a pydantic dump per question per response was a tenth of validating a
        batch). Definitions are not changed once built."""
        show_if, screen_out_if = (rule.model_dump(mode="json", by_alias=True) if rule is not None else None
                                  for rule in (self.show_if, self.screen_out_if))  # fmt: skip
        return show_if, screen_out_if

    @cached_property
    def option_values(self) -> frozenset[str]:
        """The values of the options (what a choice answer may be), made on first use: every answer of every
        response is checked against them. Definitions are not changed once built."""
        return frozenset(option.value for option in self.options)

    def text(self, language: str, fallback: str) -> str:
        return self.texts.get(language) or self.texts.get(fallback) or next(iter(self.texts.values()), "")

    def option_label(self, option: Option, language: str, fallback: str) -> str:
        return option.labels.get(language) or option.labels.get(fallback) or option.value

    def choices(self, language: str, fallback: str) -> list[tuple[str, str]]:
        """``(value, label)`` of each button a respondent can press: the options, or for a rating
        scale without option labels its whole points from min to max (0–10 for NPS)."""
        if self.options and self.type != "nps":
            return [(o.value, self.option_label(o, language, fallback)) for o in self.options]
        if self.type in SCALE_TYPES and self.min is not None and self.max is not None:
            return [(str(point), str(point)) for point in range(math.ceil(self.min), math.floor(self.max) + 1)]
        return []


class SurveyDefinition(BaseModel):
    title: str
    default_language: str
    languages: list[str]
    questions: list[QuestionDef]

    @model_validator(mode="after")
    def _consistent(self) -> SurveyDefinition:
        if self.default_language not in self.languages:
            raise ValueError("the default language must be one of the survey's languages")
        if not self.questions:
            raise ValueError("a survey needs at least one question")
        seen: set[str] = set()
        metrics: set[str] = set()
        for question in self.questions:
            if question.key in seen:
                raise ValueError(f"question key {question.key} is used twice")
            if not question.texts.get(self.default_language):
                raise ValueError(f"question {question.key} has no text in {self.default_language}")
            for target in referenced_questions(question.rule()):
                if target not in seen:
                    raise ValueError(f"question {question.key} depends on {target}, which must come earlier")
            for target in referenced_questions(question.screening_rule()):
                if target not in seen and target != question.key:
                    raise ValueError(
                        f"question {question.key} screens out on {target}, which must be this or an earlier question"
                    )
            if question.metric:
                if question.metric in metrics:
                    raise ValueError(f"only one question can carry the {question.metric} metric")
                metrics.add(question.metric)
            seen.add(question.key)
        return self

    @cached_property
    def question_keys(self) -> frozenset[str]:
        """The keys of the questions, made on first use (every submission is checked for unknown keys)."""
        return frozenset(question.key for question in self.questions)

    @cached_property
    def cleaning_steps(self) -> tuple[tuple[QuestionDef, str, dict[str, Any] | None, dict[str, Any] | None], ...]:
        """(question, key, show_if JSON, screen_out_if JSON) of each question in order, made on first use: every
        submission is cleaned through them. Shared: do not change them."""
        return tuple((q, q.key, q.rule(), q.screening_rule()) for q in self.questions)

    def question(self, key: str) -> QuestionDef | None:
        return next((q for q in self.questions if q.key == key), None)

    def screening_keys(self) -> list[str]:
        """Keys of the questions that can end the interview as screened out, in order."""
        return [q.key for q in self.questions if q.screen_out_if is not None]

    def metric_keys(self) -> dict[str, str]:
        """``{metric: question key}`` for each headline metric (NPS, CSAT, CES) the version counts."""
        return {q.metric: q.key for q in self.questions if q.metric}

    @cached_property
    def headline_sources(self) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
        """((column, question key) of each headline score, e.g. ``("nps_score", "nps")``; (column, question key) of
        each demographic question, in order), made on first use: every stored response copies them."""
        scores = tuple((f"{q.metric}_score", q.key) for q in self.questions if q.metric)
        return scores, tuple((q.type, q.key) for q in self.questions if q.type in DEMOGRAPHIC_TYPES)


def _scale(question: QuestionDef) -> str:
    def fmt(x: float | None) -> str:
        return "?" if x is None else f"{x:g}"

    return f"{fmt(question.min)}–{fmt(question.max)}"


def meaning_difference(reference: QuestionDef, other: QuestionDef | None) -> str | None:
    """Why answers to ``other`` do not mean what answers to ``reference`` mean, or ``None`` when they do.

    Two versions of a question mean the same when their type, their scale (min and max) and their options' keys
    are equal; wording, labels, required-ness and skip logic do not change what a stored answer means. The
    reason reads like "scale 1–10, not 1–5" (the other version's, then the reference's) and is safe to show.
    """
    if other is None:
        return "not asked"
    reasons = []
    same_scale = (other.min, other.max) == (reference.min, reference.max)
    if other.type != reference.type:
        reasons.append(f"type {other.type}, not {reference.type}")
    elif not same_scale and other.type in SCALE_TYPES | {"number"}:
        reasons.append(f"scale {_scale(other)}, not {_scale(reference)}")
    mine, theirs = {o.value for o in reference.options}, {o.value for o in other.options}
    if mine != theirs:
        changes = [f"+{v}" for v in sorted(theirs - mine)] + [f"−{v}" for v in sorted(mine - theirs)]
        reasons.append(f"options differ ({', '.join(changes)})")
    return "; ".join(reasons) or None


def metric_question(definition: SurveyDefinition, metric: str) -> QuestionDef | None:
    """The question carrying the headline ``metric`` (nps, csat or ces) in ``definition``, if any."""
    return next((q for q in definition.questions if q.metric == metric), None)
