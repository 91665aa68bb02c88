"""XLSForm ``relevant`` expressions ↔ Heed skip-logic rules (pure: no Django, no pydantic).

Reads the part of the XPath 1.0 language that XLSForm authors use for skip logic and that Heed's rules
(``heed.surveys.conditions``) can say exactly, and writes a rule back as such an expression:

=============================================  ===========================================================
XLSForm (``relevant`` column)                  Heed rule
=============================================  ===========================================================
``${q} = 'yes'`` / ``${q} = 5``                ``{"question": "q", "op": "eq", "value": "yes"}`` / ``5``
``selected(${q}, 'red')``                      ``eq`` (for a multiple choice: "red" is among the answers)
``${q} != 'yes'``                              ``ne`` (Heed: answered and different)
``${q} <= 6`` / ``${q} >= 6``                  ``lte`` / ``gte``
``${q} < 7`` / ``${q} > 7``                    on a rating (whole numbers): ``lte 6`` / ``gte 8``;
                                               otherwise ``not gte 7`` / ``not lte 7``
``${q} != ''`` / ``${q} = ''``                 ``answered`` / ``not answered``
``${q} = 'a' or ${q} = 'b'`` (one question)    ``in ["a", "b"]``
``${q} != '' and not(${q} = 'a' or …)``        ``not_in ["a", …]``
``A and B``, ``A or B``, ``not(A)``, ``( )``   ``all``, ``any``, ``not`` (brackets nest)
=============================================  ===========================================================

A literal in quotes is text (``'6'`` → "6"), a bare number is a number (``6`` → 6, ``6.5`` → 6.5), so a
rule written out and read back is the same JSON. Anything else (arithmetic, other functions such as
``count-selected()``, ``.``, paths, comparing two answers) raises ``RelevantError`` naming the part Heed does
not support. One difference of meaning remains: XPath compares an unanswered question as "", so
``${q} != 'yes'`` holds for a blank answer in ODK while Heed's ``ne`` needs an answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

MULTI = "multi"
"""Kind of a multiple-choice question: compared with ``selected()``."""
WHOLE = "whole"
"""Kind of a question answered with whole numbers only (ratings): ``< 7`` is ``<= 6``."""
OTHER = "other"

_TOKEN_RE = re.compile(
    r"""\s*(?:
    (?P<ref>\$\{(?P<name>[^}]*)\})
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<num>-?(?:\d+(?:\.\d*)?|\.\d+))
  | (?P<cmp>!=|<=|>=|=|<|>)
  | (?P<punct>[(),])
  | (?P<word>[A-Za-z_][A-Za-z0-9_:.-]*)
  | (?P<other>\S+?)
)""",
    re.VERBOSE,
)
_NUMBER_RE = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)$")
_FLIP = {"=": "=", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}


class RelevantError(ValueError):
    """Why an expression cannot become a rule: ``code`` and its ``params`` (the caller words it):

    - ``unsupported`` (``part``: an operator, a function such as ``count-selected()``, ``.``, a word),
    - ``two_answers`` (``first``, ``second``: names compared with each other),
    - ``multi_equals`` (``name``, ``operator``: a multiple-choice answer compared with = or !=),
    - ``not_number`` (``name``, ``value``: a number comparison with a word),
    - ``unknown_question`` (``name``: not an earlier question; raised by the caller's ``resolve``),
    - ``unreadable`` (``at``: the token where reading failed, "" at the end).
    """

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str


def _tokens(expression: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(expression):
        match = _TOKEN_RE.match(expression, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        kind = match.lastgroup or "other"
        if kind == "name":
            kind = "ref"
        text = match.group("name") if kind == "ref" else match.group(kind)
        tokens.append(_Token(kind, text))
    return tokens


class _Parser:
    def __init__(self, expression: str, resolve: Callable[[str], tuple[str, str]]) -> None:
        self.tokens = _tokens(expression)
        self.at = 0
        self.resolve = resolve

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, kind: str, text: str | None = None) -> _Token:
        token = self.peek()
        if token is None or token.kind != kind or (text is not None and token.text != text):
            _refuse(token)
        self.at += 1
        return token

    def parse(self) -> dict[str, Any]:
        if not self.tokens:
            raise RelevantError("unreadable", at="")
        rule = self.or_expr()
        if self.peek() is not None:
            _refuse(self.peek())
        return rule

    def or_expr(self) -> dict[str, Any]:
        parts = [self.and_expr()]
        while self._word("or"):
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else _any_of(parts)

    def and_expr(self) -> dict[str, Any]:
        parts = [self.unary()]
        while self._word("and"):
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else _all_of(parts)

    def _word(self, word: str) -> bool:
        token = self.peek()
        if token is not None and token.kind == "word" and token.text == word:
            self.at += 1
            return True
        return False

    def unary(self) -> dict[str, Any]:
        token = self.peek()
        if token is None:
            _refuse(None)
        if token.kind == "punct" and token.text == "(":
            self.at += 1
            rule = self.or_expr()
            self.take("punct", ")")
            return rule
        if token.kind == "word":
            return self.function(token)
        return self.comparison()

    def function(self, token: _Token) -> dict[str, Any]:
        following = self.tokens[self.at + 1] if self.at + 1 < len(self.tokens) else None
        called = following is not None and following.kind == "punct" and following.text == "("
        if token.text == "not" and called:
            self.at += 2
            rule = self.or_expr()
            self.take("punct", ")")
            return {"not": rule}
        if token.text == "selected" and called:
            self.at += 2
            ref = self.take("ref")
            self.take("punct", ",")
            value = self._literal(self.peek())
            self.at += 1
            self.take("punct", ")")
            key, _kind = self.resolve(ref.text)
            return {"question": key, "op": "eq", "value": value}
        raise RelevantError("unsupported", part=f"{token.text}()" if called else token.text)

    def comparison(self) -> dict[str, Any]:
        left = self.peek()
        self.at += 1
        operator = self.take("cmp")
        right = self.peek()
        self.at += 1
        if left is None or right is None:
            _refuse(None)
        if left.kind == "ref" and right.kind == "ref":
            raise RelevantError("two_answers", first=left.text, second=right.text)
        if right.kind == "ref":
            left, right, op = right, left, _FLIP[operator.text]
        else:
            op = operator.text
        if left.kind != "ref" or right.kind not in ("str", "num"):
            _refuse(right if left.kind == "ref" else left)
        key, kind = self.resolve(left.text)
        return _condition(key, kind, op, self._literal(right), ref=left.text)

    @staticmethod
    def _literal(token: _Token | None) -> Any:
        if token is None or token.kind not in ("str", "num"):
            _refuse(token)
        if token.kind == "str":
            return token.text[1:-1]
        return float(token.text) if "." in token.text else int(token.text)


def _refuse(token: _Token | None) -> NoReturn:
    """Raise the error for an unexpected token: a word (a function, ``div``, ``mod``, a path) is a part Heed
    does not support; anything else makes the expression unreadable there."""
    if token is not None and token.kind in ("word", "other"):
        raise RelevantError("unsupported", part=token.text)
    raise RelevantError("unreadable", at="" if token is None else token.text)


def _number(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and _NUMBER_RE.match(value.strip()):
        return float(value)
    return None


def _condition(key: str, kind: str, op: str, value: Any, *, ref: str) -> dict[str, Any]:
    if value == "" and op in ("=", "!="):
        answered = {"question": key, "op": "answered", "value": None}
        return answered if op == "!=" else {"not": answered}
    if op in ("=", "!="):
        if kind == MULTI:
            raise RelevantError("multi_equals", name=ref, operator=op)
        return {"question": key, "op": "eq" if op == "=" else "ne", "value": value}
    number = _number(value)
    if number is None:
        raise RelevantError("not_number", name=ref, value=str(value))
    if op in ("<=", ">="):
        return {"question": key, "op": "lte" if op == "<=" else "gte", "value": value}
    if kind == WHOLE and isinstance(value, int):
        return {"question": key, "op": "lte" if op == "<" else "gte", "value": value - 1 if op == "<" else value + 1}
    return {"not": {"question": key, "op": "gte" if op == "<" else "lte", "value": value}}


def _is_leaf(rule: Mapping[str, Any], op: str | None = None) -> bool:
    return "question" in rule and (op is None or rule.get("op") == op)


def _any_of(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """``any`` of equalities on one question is ``in``."""
    keys = {part.get("question") for part in parts}
    if len(keys) == 1 and all(_is_leaf(part, "eq") and not isinstance(part["value"], list) for part in parts):
        return {"question": keys.pop(), "op": "in", "value": [part["value"] for part in parts]}
    return {"any": parts}


def _all_of(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """``answered and not(one of)`` on one question is ``not_in``."""
    if len(parts) == 2 and _is_leaf(parts[0], "answered") and set(parts[1]) == {"not"}:
        inner, key = parts[1]["not"], parts[0]["question"]
        if _is_leaf(inner) and inner["question"] == key and inner["op"] in ("in", "eq"):
            values = inner["value"] if inner["op"] == "in" else [inner["value"]]
            return {"question": key, "op": "not_in", "value": values}
    return {"all": parts}


def parse_relevant(expression: str, resolve: Callable[[str], tuple[str, str]]) -> dict[str, Any]:
    """The Heed rule of an XLSForm ``relevant`` expression.

    ``resolve(name)`` gives ``(heed key, kind)`` of an earlier question named ``${name}`` (kind ``MULTI``,
    ``WHOLE`` or ``OTHER``) and raises ``RelevantError("unknown_question", name=name)`` when there is none.
    Raises ``RelevantError`` for anything the table above does not list.
    """
    return _Parser(expression, resolve).parse()


class WriteError(ValueError):
    """A rule that has no XLSForm form (a value with both quote marks, a list where one value goes, ...)."""


def _xpath_literal(value: Any) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        raise WriteError(f"the value {value!r} cannot be written in XLSForm")
    if isinstance(value, int | float):
        text = repr(value)
        if not _NUMBER_RE.match(text):
            raise WriteError(f"the number {value!r} cannot be written in XLSForm")
        return text
    text = str(value)
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    raise WriteError(f"the value {text!r} has both kinds of quote mark")


def _write_leaf(rule: Mapping[str, Any], kinds: Mapping[str, str]) -> str:
    key, op, value = rule["question"], rule["op"], rule.get("value")
    ref = f"${{{key}}}"
    multi = kinds.get(key) == MULTI

    def equals(one: Any) -> str:
        return f"selected({ref}, {_xpath_literal(one)})" if multi else f"{ref} = {_xpath_literal(one)}"

    if op == "answered":
        return f"{ref} != ''"
    if op == "eq":
        return equals(value)
    if op == "ne":
        if multi:
            raise WriteError(f"“is not” on the multiple-choice question {key} has no XLSForm form")
        return f"{ref} != {_xpath_literal(value)}"
    if op in ("lte", "gte"):
        return f"{ref} {'<=' if op == 'lte' else '>='} {_xpath_literal(value)}"
    values: list[Any] = value if isinstance(value, list) else [value]
    if not values:
        raise WriteError(f"the condition on {key} lists no values")
    chain = " or ".join(equals(one) for one in values)
    if op == "in":
        return chain
    return f"{ref} != '' and not({chain})"


def write_relevant(rule: Mapping[str, Any], kinds: Mapping[str, str]) -> str:
    """The XLSForm ``relevant`` expression of a Heed rule (``kinds``: question key → ``MULTI``/``WHOLE``/
    ``OTHER``); ``parse_relevant`` reads it back as the same rule. Raises ``WriteError``."""
    return _write(rule, kinds, nested=False)


def _write(rule: Mapping[str, Any], kinds: Mapping[str, str], *, nested: bool) -> str:
    if "all" in rule or "any" in rule:
        joiner = " and " if "all" in rule else " or "
        text = joiner.join(_write(part, kinds, nested=True) for part in rule["all" if "all" in rule else "any"])
    elif "not" in rule:
        return f"not({_write(rule['not'], kinds, nested=False)})"
    else:
        text = _write_leaf(rule, kinds)
        value = rule.get("value")
        values: list[Any] = value if isinstance(value, list) else [value]
        if not (rule.get("op") == "not_in" or (rule.get("op") == "in" and len(values) > 1)):
            return text
    return f"({text})" if nested else text
