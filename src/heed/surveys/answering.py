"""Validate one answer and evaluate skip logic against a ``SurveyDefinition`` (no Django here).

Errors are returned as ``AnswerError`` with a message key from ``i18n_strings.UI_STRINGS`` so the
respondent page can say it in the respondent's language, and the API can say it in English.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from heed.surveys.conditions import evaluate
from heed.surveys.definition import CHOICE_TYPES, SCALE_TYPES, QuestionDef, SurveyDefinition
from heed.surveys.numbers import NumberError, parse_localised_number, parse_plain_number

AnswerValue = float | str | list[str]


@dataclass(frozen=True)
class AnswerError(Exception):
    key: str
    params: dict[str, Any] = field(default_factory=dict)


def _is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, list) and not raw)


_EXACT = 2**53


def _number(raw: Any, question: QuestionDef, *, integer: bool, language: str | None) -> float:
    try:
        if type(raw) is int and -_EXACT < raw < _EXACT:  # most answers: a JSON whole number, exact as a float
            value = float(raw)
        elif language is not None and isinstance(raw, str):
            value = parse_localised_number(raw, language)
        else:
            value = parse_plain_number(raw)
    except NumberError as error:
        raise AnswerError(error.key) from None
    if integer and value != int(value):
        raise AnswerError("invalid_number")
    low, high = question.min, question.max
    if (low is not None and value < low) or (high is not None and value > high):
        raise AnswerError("out_of_range", {"min": _fmt(low), "max": _fmt(high)})
    return value


def _fmt(value: float | None) -> str:
    if value is None:
        return "…"
    return str(int(value)) if value == int(value) else str(value)


def clean_answer(question: QuestionDef, raw: Any, *, language: str | None = None) -> AnswerValue | None:
    """Return the stored form of ``raw`` for ``question`` (None if unanswered) or raise AnswerError.

    Accepted JSON types: rating scales and numbers take a number or a numeric string (plain digits
    and ``.`` decimals; with ``language`` given, as that language writes numbers, see
    ``heed.surveys.numbers``); single choices and demographics take one option value (a string);
    multiple choice takes a list of option values; dates take an ISO 8601 date string; text takes
    a string. Anything else raises ``AnswerError`` naming what was expected.
    """
    if _is_blank(raw):
        if question.required:
            raise AnswerError("required")
        return None
    allowed = question.option_values
    if question.type in SCALE_TYPES:
        return _number(raw, question, integer=True, language=language)
    if question.type == "number":
        return _number(raw, question, integer=False, language=language)
    if question.type == "multiple_choice":
        try:
            chosen = set(raw) if isinstance(raw, list) else None
        except TypeError:  # a list holding lists or objects
            chosen = None
        if chosen is None:
            raise AnswerError("expected_choices")
        if not chosen <= allowed:  # option values are strings: anything else is not one of them
            raise AnswerError("invalid_choice" if all(isinstance(v, str) for v in raw) else "expected_choices")
        return [option.value for option in question.options if option.value in raw]
    if question.type in CHOICE_TYPES:
        if not isinstance(raw, str):
            raise AnswerError("expected_choice")
        if raw not in allowed:
            raise AnswerError("invalid_choice")
        return raw
    if question.type == "date":
        if not isinstance(raw, str):
            raise AnswerError("invalid_date")
        try:
            return dt.date.fromisoformat(raw.strip()).isoformat()
        except ValueError:
            raise AnswerError("invalid_date") from None
    if not isinstance(raw, str):
        raise AnswerError("expected_text")
    text = raw.strip()
    if len(text) > question.max_length:
        raise AnswerError("too_long", {"max": question.max_length})
    return text


def condition_holds(question: QuestionDef, answers: dict[str, AnswerValue | None]) -> bool:
    """Whether ``question``'s skip logic lets it be shown given ``answers`` (``heed.surveys.conditions``)."""
    return evaluate(question.rule(), answers)


def screens_out(question: QuestionDef, answers: dict[str, AnswerValue | None]) -> bool:
    """Whether ``question`` ends the interview as screened out given ``answers`` (its ``screen_out_if`` holds)."""
    rule = question.screening_rule()
    return rule is not None and evaluate(rule, answers)


def visible_questions(definition: SurveyDefinition, answers: dict[str, AnswerValue | None]) -> list[QuestionDef]:
    """Questions shown given the answers so far; a hidden question hides those that depend on it, and a question
    that screens the respondent out is the last one shown."""
    shown: list[QuestionDef] = []
    effective: dict[str, AnswerValue | None] = {}
    for question in definition.questions:
        if condition_holds(question, effective):
            shown.append(question)
            effective[question.key] = answers.get(question.key)
            if screens_out(question, effective):
                break
    return shown


def screened_out(definition: SurveyDefinition, answers: dict[str, AnswerValue | None]) -> str | None:
    """Key of the question that screened the respondent out (not eligible), or None (``heed.surveys.conditions``
    ``screened_out_at`` on the definition's JSON gives the same)."""
    shown = visible_questions(definition, answers) if definition.screening_keys() else []
    last = shown[-1] if shown else None
    return last.key if last is not None and screens_out(last, answers) else None


def first_unanswered(shown: list[QuestionDef], answers: dict[str, AnswerValue | None]) -> int | None:
    """Position in ``shown`` of the first required question without an answer, or None if there is none."""
    return next((i for i, q in enumerate(shown) if q.required and answers.get(q.key) is None), None)


def clean_submission(definition: SurveyDefinition, raw_answers: dict[str, Any]) -> dict[str, AnswerValue]:
    """Validate a whole submission. Raises ``SubmissionError`` listing every bad answer.

    Answers to questions not shown (skip logic, or after the question that screened the respondent out) are
    dropped, as a respondent never saw them; required questions not shown need no answer."""
    return clean_submission_screened(definition, raw_answers)[0]


def clean_submission_screened(
    definition: SurveyDefinition, raw_answers: dict[str, Any]
) -> tuple[dict[str, AnswerValue], str | None]:
    """``clean_submission`` and, from the same pass, the key of the question that screened the respondent out
    (what ``screened_out`` gives for the cleaned answers) or None. Raises ``SubmissionError``."""
    unknown = raw_answers.keys() - definition.question_keys
    errors: dict[str, AnswerError] = {key: AnswerError("unknown_question") for key in sorted(unknown)}
    cleaned: dict[str, AnswerValue | None] = {}
    ended_at: str | None = None
    for question, key, show_if, screen_out_if in definition.cleaning_steps:  # rules as condition_holds, screens_out
        if ended_at is not None or (show_if is not None and not evaluate(show_if, cleaned)):
            cleaned[key] = None
            continue
        try:
            cleaned[key] = clean_answer(question, raw_answers.get(key))
        except AnswerError as error:
            errors[key] = error
            cleaned[key] = None
        if screen_out_if is not None and evaluate(screen_out_if, cleaned):
            ended_at = key
    if errors:
        raise SubmissionError(errors)
    return {key: value for key, value in cleaned.items() if value is not None}, ended_at


class SubmissionError(Exception):
    def __init__(self, errors: dict[str, AnswerError]) -> None:
        super().__init__(", ".join(f"{key}: {error.key}" for key, error in errors.items()))
        self.errors = errors
