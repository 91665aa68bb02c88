"""Skip logic: the one evaluator of ``show_if`` rules, over their JSON form (no Django, no pydantic here).

A rule is JSON, as stored in a draft question's ``show_if`` and in a frozen ``SurveyDefinition``:

- a condition on one earlier answer: ``{"question": key, "op": op, "value": v}`` with ``op`` one of
  ``eq`` (equals; for a multiple-choice answer: has ``v`` among its choices), ``ne`` (answered and not
  ``eq``), ``in`` / ``not_in`` (one of / none of a list of values; answered), ``lte`` / ``gte`` (a number at
  most / at least ``v``) and ``answered`` (any answer; ``value`` unused);
- ``{"all": [rule, ...]}`` (every rule holds), ``{"any": [rule, ...]}`` (at least one holds) and
  ``{"not": rule}``.

A condition on a question without an answer (not answered, or hidden) is false, whatever its operator
except that ``answered`` is false too; ``not`` turns that into true. Single conditions saved before compound
rules existed keep their exact JSON and meaning.

Screening: a question may carry ``screen_out_if``, a rule of the same JSON over its own answer and earlier ones.
When it holds once the question is answered, the interview ends there as *screened out* (not eligible, AAPOR):
no later question is shown (``visible_keys`` stops after it) and ``screened_out_at`` names the question.

The offline client evaluates the same JSON with ``heed/web/static/heed/conditions.js``; both are run on the
table of cases in ``tests/surveys/condition_cases.json`` and must agree (``tests/surveys/test_conditions.py``).
``client_rules`` is the JSON a client needs: the questions' order and each one's rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

OPERATORS = ("eq", "ne", "in", "not_in", "lte", "gte", "answered")
MAX_DEPTH = 4
"""Nesting of all/any/not a rule may have (a condition alone is depth 0): deeper rules are refused."""
MAX_CONDITIONS = 20
"""Conditions (leaves) in one rule: more are refused."""
RULES_FORMAT = 1
"""Version of the JSON that ``client_rules`` returns."""

_NUMBER_RE = re.compile(r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$")


class RuleError(ValueError):
    """A rule that is not of the shape above; the message says what is wrong in plain words."""


def is_compound(rule: Mapping[str, Any]) -> bool:
    return any(name in rule for name in ("all", "any", "not"))


def conditions_of(rule: Mapping[str, Any] | None) -> Iterator[Mapping[str, Any]]:
    """Every single condition (leaf) of ``rule``, left to right."""
    if not rule:
        return
    if "all" in rule or "any" in rule:
        for part in rule.get("all", rule.get("any")) or []:
            yield from conditions_of(part)
    elif "not" in rule:
        yield from conditions_of(rule["not"])
    else:
        yield rule


def referenced_questions(rule: Mapping[str, Any] | None) -> list[str]:
    """Keys of the questions ``rule`` looks at, each once, in the order they first appear."""
    return list(dict.fromkeys(str(leaf.get("question") or "") for leaf in conditions_of(rule)))


def check_shape(rule: Any, depth: int = 0) -> None:
    """Raise ``RuleError`` unless ``rule`` is a rule as described above within ``MAX_DEPTH`` and
    ``MAX_CONDITIONS``."""
    _check(rule, depth)
    if sum(1 for _leaf in conditions_of(rule)) > MAX_CONDITIONS:
        raise RuleError(f"a rule may combine at most {MAX_CONDITIONS} conditions")


def _check(rule: Any, depth: int) -> None:
    if not isinstance(rule, Mapping):
        raise RuleError("a rule is an object")
    if depth > MAX_DEPTH:
        raise RuleError(f"a rule may nest all/any/not at most {MAX_DEPTH} deep")
    if "all" in rule or "any" in rule:
        name = "all" if "all" in rule else "any"
        parts = rule[name]
        if set(rule) != {name} or not isinstance(parts, list) or not parts:
            raise RuleError(f"“{name}” takes a non-empty list of rules and nothing else")
        for part in parts:
            _check(part, depth + 1)
    elif "not" in rule:
        if set(rule) != {"not"}:
            raise RuleError("“not” takes one rule and nothing else")
        _check(rule["not"], depth + 1)
    else:
        if not isinstance(rule.get("question"), str) or not rule["question"]:
            raise RuleError("a condition names the question it looks at")
        if rule.get("op") not in OPERATORS:
            raise RuleError(f"a condition's op is one of {', '.join(OPERATORS)}")
        if set(rule) - {"question", "op", "value"}:
            raise RuleError("a condition has question, op and value only")


def as_text(value: Any) -> str:
    """How a stored answer or a rule's value compares as text: whole floats lose ``.0`` (6.0 → "6")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def as_number(value: Any) -> float | None:
    """A number or a numeric string as a float; None for anything else (lists, booleans, words, "")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and _NUMBER_RE.match(value):
        return float(value)
    return None


def _condition_holds(condition: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    given = answers.get(condition.get("question") or "")
    op = condition.get("op")
    if op == "answered":
        return given is not None
    if given is None:
        return False
    expected = condition.get("value")
    if op in ("in", "not_in"):
        options = {as_text(v) for v in (expected if isinstance(expected, list) else [expected])}
        hit = bool(options & {as_text(v) for v in given}) if isinstance(given, list) else as_text(given) in options
        return hit if op == "in" else not hit
    if op in ("lte", "gte"):
        left, right = as_number(given), as_number(expected)
        if left is None or right is None:
            return False
        return left <= right if op == "lte" else left >= right
    wanted = as_text(expected)
    equal = any(as_text(v) == wanted for v in given) if isinstance(given, list) else as_text(given) == wanted
    return equal if op == "eq" else not equal


def evaluate(rule: Mapping[str, Any] | None, answers: Mapping[str, Any]) -> bool:
    """Whether ``rule`` holds for ``answers`` (question key → stored answer: a number, a string, a list of
    option values, or None/absent when unanswered). No rule: true."""
    if not rule:
        return True
    if "all" in rule:
        return all(evaluate(part, answers) for part in rule["all"])
    if "any" in rule:
        return any(evaluate(part, answers) for part in rule["any"])
    if "not" in rule:
        return not evaluate(rule["not"], answers)
    return _condition_holds(rule, answers)


def _walk(questions: Sequence[Mapping[str, Any]], answers: Mapping[str, Any]) -> tuple[list[str], str | None]:
    shown: list[str] = []
    effective: dict[str, Any] = {}
    for question in questions:
        if evaluate(question.get("show_if"), effective):
            shown.append(question["key"])
            effective[question["key"]] = answers.get(question["key"])
            screen = question.get("screen_out_if")
            if screen and evaluate(screen, effective):
                return shown, question["key"]
    return shown, None


def visible_keys(questions: Sequence[Mapping[str, Any]], answers: Mapping[str, Any]) -> list[str]:
    """Keys of the questions shown given ``answers``, for questions given as JSON (``key``, ``show_if``,
    optionally ``screen_out_if``) in order. A hidden question counts as unanswered for the rules after it; a
    shown question whose ``screen_out_if`` holds is the last one shown (the interview ends screened out)."""
    return _walk(questions, answers)[0]


def screened_out_at(questions: Sequence[Mapping[str, Any]], answers: Mapping[str, Any]) -> str | None:
    """Key of the shown question whose ``screen_out_if`` holds for ``answers`` (the interview ends there as
    screened out, i.e. not eligible), or None when the respondent is not screened out."""
    return _walk(questions, answers)[1]


def client_rules(definition: Mapping[str, Any]) -> dict[str, Any]:
    """The skip logic of a definition (its JSON) as the offline client reads it:
    ``{"format": 1, "questions": [{"key": ..., "show_if": rule or null}, ...]}`` in question order; a screening
    question also has ``"screen_out_if": rule`` (a format-1 client that ignores it shows the questions of old)."""
    return {
        "format": RULES_FORMAT,
        "questions": [
            {"key": q["key"], "show_if": q.get("show_if")}
            | ({"screen_out_if": q["screen_out_if"]} if q.get("screen_out_if") else {})
            for q in definition.get("questions", [])
        ],
    }
