"""What stops a draft from being published, in plain words naming the question (no Django here).

``publish_problems`` reads the draft's questions (anything with the attributes of
``surveys.models.Question``) and returns every problem at once, so the analyst fixes them in one
go instead of one per publish attempt. Blocking problems stop ``survey_publish``; the others are
shown as warnings.

Headline metric rule (issue 7, point 2). A question of type NPS, CSAT or CES counts for that metric
unless the analyst chose otherwise ("Headline metric": none, for a second NPS-type question). It
is blocking when the survey has NPS/CSAT/CES questions but none counts (the dashboard would say
"no answers" for answers it holds), or when two questions count for the same metric. A survey
with no NPS/CSAT/CES question at all is allowed with a warning: engagement (Likert) surveys and
research questionnaires are legitimate and have no headline score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.translation import gettext

from heed.core.labels import question_kind_phrase, question_type_label
from heed.surveys.conditions import RuleError, check_shape, conditions_of
from heed.surveys.definition import (
    CHOICE_TYPES,
    FIXED_SCALES,
    KEY_RE,
    METRIC_NONE,
    METRICS,
    SCALE_TYPES,
    resolve_metric,
)
from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES

MAX_SCALE_POINTS = 11
"""A rating is shown as one button per point; more than 0–10 cannot be answered on a phone."""

METRIC_NAMES = {"nps": "NPS", "csat": "CSAT", "ces": "CES"}
_VALUE_OPS = {"eq", "ne", "in", "not_in"}


class DraftQuestion(Protocol):
    key: str
    type: str
    texts: dict[str, str]
    options: list[dict[str, Any]]
    min_value: float | None
    max_value: float | None
    metric: str
    show_if: dict[str, Any] | None
    screen_out_if: dict[str, Any] | None


@dataclass(frozen=True)
class PublishProblem:
    """``question`` is the key of the question concerned (None for the survey as a whole)."""

    message: str
    question: str | None = None
    blocking: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"question": self.question, "message": self.message, "blocking": self.blocking}


def _language_list(codes: Sequence[str]) -> str:
    return ", ".join(f"{SUPPORTED_LANGUAGES.get(code, code)} ({code})" for code in codes)


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _text_problems(q: DraftQuestion, languages: Sequence[str]) -> list[PublishProblem]:
    problems = []
    missing = [lang for lang in languages if not str((q.texts or {}).get(lang) or "").strip()]
    if missing:
        message = gettext("Question {key} has no text in {languages}.")
        problems.append(PublishProblem(message.format(key=q.key, languages=_language_list(missing)), q.key))
    unlabelled: dict[tuple[str, ...], list[str]] = {}
    for option in q.options or []:
        labels = option.get("labels") or {}
        missing = [lang for lang in languages if not str(labels.get(lang) or "").strip()]
        if missing:
            unlabelled.setdefault(tuple(missing), []).append(f"“{option.get('value')}”")
    for unlabelled_in, values in unlabelled.items():
        if q.type in SCALE_TYPES:
            message = (
                gettext("Question {key}: scale label {values} has no label in {languages}.")
                if len(values) == 1
                else gettext("Question {key}: scale labels {values} have no label in {languages}.")
            )
        else:
            message = (
                gettext("Question {key}: option {values} has no label in {languages}.")
                if len(values) == 1
                else gettext("Question {key}: options {values} have no label in {languages}.")
            )
        text = message.format(key=q.key, values=", ".join(values), languages=_language_list(unlabelled_in))
        problems.append(PublishProblem(text, q.key))  # fmt: skip
    return problems


def _scale_problems(q: DraftQuestion) -> list[PublishProblem]:
    if q.type in CHOICE_TYPES and not q.options:
        message = gettext("Question {key} is a choice question without options; add at least two.")
        return [PublishProblem(message.format(key=q.key), q.key)]
    if q.type == "number" and q.min_value is not None and q.max_value is not None and q.min_value > q.max_value:
        return [PublishProblem(gettext("Question {key} has a minimum above its maximum.").format(key=q.key), q.key)]
    if q.type not in SCALE_TYPES:
        return []
    low, high = FIXED_SCALES.get(q.type, (q.min_value, q.max_value))
    if low is None or high is None:
        message = gettext("Question {key} is a rating without a scale: give it a minimum and a maximum.")
        return [PublishProblem(message.format(key=q.key), q.key)]
    if low != int(low) or high != int(high) or low >= high:
        return [
            PublishProblem(
                gettext(
                    "Question {key} has no scale a respondent can answer ({low} to {high}): "
                    "use whole numbers with the minimum below the maximum, e.g. 1 to 5."
                ).format(key=q.key, low=_fmt(low), high=_fmt(high)),
                q.key,
            )
        ]
    if high - low + 1 > MAX_SCALE_POINTS:
        return [
            PublishProblem(
                gettext(
                    "Question {key} has {points} points ({low} to {high}); a rating shows "
                    "one button per point, so use at most {most} (e.g. 0 to 10)."
                ).format(key=q.key, points=int(high - low + 1), low=_fmt(low), high=_fmt(high), most=MAX_SCALE_POINTS),
                q.key,
            )
        ]
    points = {str(p) for p in range(int(low), int(high) + 1)}
    strays = [str(o.get("value")) for o in q.options or [] if str(o.get("value")) not in points]
    if strays:
        return [
            PublishProblem(
                gettext(
                    "Question {key} is rated {low} to {high}, but its options "
                    "{options} are not points of that scale: write them as "
                    "“{first} = label”."
                ).format(
                    key=q.key,
                    low=_fmt(low),
                    high=_fmt(high),
                    options=", ".join(f"“{v}”" for v in strays),
                    first=int(low),
                ),  # fmt: skip
                q.key,
            )
        ]
    return []


def _skip_problems(q: DraftQuestion, earlier: dict[str, DraftQuestion], keys: set[str]) -> list[PublishProblem]:
    """Problems of ``q``'s skip logic: each condition of a compound rule is checked (the earlier-question rule
    applies to every question it looks at); a rule of the wrong shape is one problem."""
    if not q.show_if:
        return []
    try:
        check_shape(q.show_if)
    except RuleError as error:
        message = gettext("Question {key} has skip logic Heed cannot read: {reason}.")
        return [PublishProblem(message.format(key=q.key, reason=error), q.key)]
    problems: list[PublishProblem] = []
    for condition in conditions_of(q.show_if):
        for problem in _condition_problems(q, condition, earlier, keys):
            if problem not in problems:
                problems.append(problem)
    return problems


def _condition_problems(
    q: DraftQuestion, condition: Mapping[str, Any], earlier: dict[str, DraftQuestion], keys: set[str]
) -> list[PublishProblem]:
    target = str(condition.get("question") or "")
    if target == q.key:
        message = gettext("Question {key} is shown depending on its own answer; pick an earlier question.")
        return [PublishProblem(message.format(key=q.key), q.key)]
    if target not in keys:
        message = gettext("Question {key} is shown depending on “{target}”, which is not a question of this survey.")
        return [PublishProblem(message.format(key=q.key, target=target), q.key)]
    if target not in earlier:
        message = gettext(
            "Question {key} is shown depending on {target}, which comes after it; skip logic "
            "can only look at earlier questions (move one of them)."
        )
        return [PublishProblem(message.format(key=q.key, target=target), q.key)]  # fmt: skip
    source, op = earlier[target], condition.get("op")
    value: Any = condition.get("value")
    if op in _VALUE_OPS and source.options:
        allowed = {str(o.get("value")) for o in source.options}
        wanted = [str(v) for v in (value if isinstance(value, list) else [value])]
        unknown = [v for v in wanted if v not in allowed]
        if unknown:
            message = gettext(
                "Question {key} is shown if {target} is {values}, which is not an option of {target} ({options})."
            )
            return [PublishProblem(message.format(key=q.key, target=target, values=", ".join(unknown),
                                                  options=", ".join(sorted(allowed))), q.key)]  # fmt: skip
    if op in ("lte", "gte"):
        try:
            float(value)
        except (TypeError, ValueError):
            message = gettext("Question {key} compares {target} with “{value}”, which is not a number.")
            return [PublishProblem(message.format(key=q.key, target=target, value=value), q.key)]
    return []


def _screening_problems(q: DraftQuestion, earlier: dict[str, DraftQuestion], keys: set[str]) -> list[PublishProblem]:
    """Problems of ``q``'s screening rule: like skip logic, but it may look at ``q``'s own answer (it is
    evaluated once ``q`` is answered); a question it names must be ``q`` or an earlier one, and option values
    must be options of the question they look at."""
    rule = getattr(q, "screen_out_if", None)
    if not rule:
        return []
    try:
        check_shape(rule)
    except RuleError as error:
        message = gettext("Question {key} has a screening rule Heed cannot read: {reason}.")
        return [PublishProblem(message.format(key=q.key, reason=error), q.key)]
    problems: list[PublishProblem] = []
    scope = earlier | {q.key: q}
    for condition in conditions_of(rule):
        target = str(condition.get("question") or "")
        if target not in keys:
            message = gettext(
                "Question {key} screens respondents out depending on “{target}”, which is not a question of this "
                "survey."
            )
            problem = PublishProblem(message.format(key=q.key, target=target), q.key)
        elif target not in scope:
            message = gettext(
                "Question {key} screens respondents out depending on {target}, which comes after it; a screening "
                "rule can only look at this question or earlier ones (move one of them)."
            )
            problem = PublishProblem(message.format(key=q.key, target=target), q.key)
        else:
            found = _value_problem(q, condition, scope[target])
            if found is None:
                continue
            problem = found
        if problem not in problems:
            problems.append(problem)
    return problems


def _value_problem(q: DraftQuestion, condition: Mapping[str, Any], source: DraftQuestion) -> PublishProblem | None:
    op, value, target = condition.get("op"), condition.get("value"), source.key
    if op in _VALUE_OPS and source.options:
        allowed = {str(o.get("value")) for o in source.options}
        unknown = [str(v) for v in (value if isinstance(value, list) else [value]) if str(v) not in allowed]
        if unknown:
            message = gettext(
                "Question {key} screens respondents out if {target} is {values}, which is not an option of "
                "{target} ({options})."
            )
            return PublishProblem(message.format(key=q.key, target=target, values=", ".join(unknown),
                                                 options=", ".join(sorted(allowed))), q.key)  # fmt: skip
    if op in ("lte", "gte"):
        try:
            float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            message = gettext("Question {key} compares {target} with “{value}”, which is not a number.")
            return PublishProblem(message.format(key=q.key, target=target, value=value), q.key)
    return None


def _metric_problems(questions: Sequence[DraftQuestion]) -> list[PublishProblem]:
    problems: list[PublishProblem] = []
    counted: dict[str, list[str]] = {metric: [] for metric in METRICS}
    for q in questions:
        if q.metric and q.metric not in (METRIC_NONE, *METRICS):
            message = gettext("Question {key} has an unknown headline metric “{metric}”.")
            problems.append(PublishProblem(message.format(key=q.key, metric=q.metric), q.key))
            continue
        metric = resolve_metric(q.type, q.metric)
        if metric and metric != q.type:
            problems.append(
                PublishProblem(
                    # {kind} is English with its article ("an NPS question"); other languages use {type}, the label.
                    # xgettext:no-python-brace-format
                    gettext("Question {key} is {kind} and cannot count as {metric}.").format(
                        key=q.key,
                        kind=question_kind_phrase(q.type),
                        type=question_type_label(q.type),
                        metric=METRIC_NAMES[metric],
                    ),  # fmt: skip
                    q.key,
                )
            )
        elif metric:
            counted[metric].append(q.key)
    for metric, keys in counted.items():
        if len(keys) > 1:
            problems.append(
                PublishProblem(
                    gettext(
                        "Questions {keys} all count as {metric}; a survey has one "
                        "{metric}. Set “Headline metric” to “None” on all but one."
                    ).format(keys=gettext(" and ").join(keys), metric=METRIC_NAMES[metric]),
                    keys[1],
                )
            )
    metric_type = [q.key for q in questions if q.type in METRICS]
    if metric_type and not any(counted.values()):
        problems.append(
            PublishProblem(
                gettext(
                    "Questions {keys} are NPS/CSAT/CES questions but none counts as a headline "
                    "metric, so the dashboard would show no score: set “Headline metric” on one of them."
                ).format(keys=", ".join(metric_type)),
                metric_type[0],
            )
        )
    elif not metric_type:
        problems.append(
            PublishProblem(
                gettext(
                    "No question counts as NPS, CSAT or CES: the dashboard will show response counts, ratings and "
                    "comments, but no headline score."
                ),
                blocking=False,
            )
        )
    return problems


def publish_problems(*, languages: Sequence[str], questions: Sequence[DraftQuestion]) -> list[PublishProblem]:
    """Every problem of a draft, in question order, then survey-wide ones. Empty when it can be published."""
    if not questions:
        return [PublishProblem(gettext("The survey has no questions yet: add at least one."))]
    problems: list[PublishProblem] = []
    keys = {q.key for q in questions}
    earlier: dict[str, DraftQuestion] = {}
    for q in questions:
        if not KEY_RE.match(q.key or ""):
            message = gettext("Question “{key}” needs a key of a-z, 0-9 and _ (at most 40).")
            problems.append(PublishProblem(message.format(key=q.key), q.key))
        problems += _text_problems(q, languages)
        problems += _scale_problems(q)
        problems += _skip_problems(q, earlier, keys)
        problems += _screening_problems(q, earlier, keys)
        earlier[q.key] = q
    return problems + _metric_problems(questions)
