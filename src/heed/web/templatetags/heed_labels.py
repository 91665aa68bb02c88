"""Template filters that show the label of a stored key (``{{ link.touchpoint|touchpoint_label }}``).

They only look labels up in the one registry, ``heed.core.labels``; pages never print raw keys.
"""

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.translation import get_language, gettext

from heed.core import labels
from heed.surveys.selectors import pooling_reason_label

register = template.Library()

register.filter("channel_label", labels.channel_label)
register.filter("pooling_reason_label", pooling_reason_label)
register.filter("touchpoint_label", labels.touchpoint_label)
register.filter("language_label", labels.language_label)
register.filter("operator_label", labels.operator_label)
register.filter("question_type_label", labels.question_type_label)
register.filter("tone_label", labels.tone_label)
register.filter("score_group_label", labels.score_group_label)
register.filter("dimension_label", labels.dimension_label)
register.filter("quadrant_label", labels.quadrant_label)
register.filter("quadrant_action_label", labels.quadrant_action_label)


@register.filter
def option_label(value: object, options: dict[str, str] | None) -> str:
    """``{{ value|option_label:labels }}``: a list of values or one value, through a value -> label map;
    a value that is no option (a number, a typed literal) is shown as it is."""
    options = options or {}
    if isinstance(value, list | tuple):
        return ", ".join(options.get(str(v)) or str(v) for v in value)
    if value is None or value == "":
        return str(labels.NONE_LABEL)
    return options.get(str(value)) or str(value)


def _option_pair(option: Any) -> tuple[str, dict[str, str]]:
    """(value, labels) of an option of a draft ``Question`` row (a dict) or of a ``QuestionDef`` (a model)."""
    if isinstance(option, dict):
        return str(option.get("value", "")), option.get("labels") or {}
    return str(option.value), option.labels


def _options_of(question: Any) -> list[tuple[str, dict[str, str]]]:
    return [_option_pair(option) for option in getattr(question, "options", None) or []]


@register.simple_tag(takes_context=True)
def condition_label(context: template.Context, show_if: Any, questions: Iterable[Any], default_language: str) -> str:
    """A skip-logic rule as a sentence: ``did_buy is No`` instead of ``did_buy eq no``; a compound rule joins
    its conditions with "and" / "or" and writes "not (…)", with brackets around nested parts.

    ``show_if`` is the rule's JSON or a definition's rule model; ``questions`` are the survey's questions
    (draft rows or definition models); option labels are read in the reader's language, else
    ``default_language``. The question key stays (it is the identifier the builder asks for); the result is
    escaped by the template engine.
    """
    if not show_if:
        return ""
    rule = show_if.model_dump(mode="json") if hasattr(show_if, "model_dump") else show_if
    return _rule_sentence(rule, list(questions), default_language, nested=False)


def _rule_sentence(rule: Any, questions: list[Any], default_language: str, *, nested: bool) -> str:
    if not isinstance(rule, dict):
        return ""
    if "all" in rule or "any" in rule:
        joiner = gettext(" and ") if "all" in rule else gettext(" or ")
        parts = [
            _rule_sentence(part, questions, default_language, nested=True)
            for part in rule.get("all", rule.get("any")) or []
        ]
        sentence = joiner.join(parts)
        return f"({sentence})" if nested and len(parts) > 1 else sentence
    if "not" in rule:
        return gettext("not ({rule})").format(
            rule=_rule_sentence(rule["not"], questions, default_language, nested=False)
        )
    key, op, value = rule.get("question"), rule.get("op"), rule.get("value")
    language = get_language() or default_language  # the reader's: their preference, else their browser's
    target = next((q for q in questions if getattr(q, "key", None) == key), None)
    options = {
        v: texts.get(language) or texts.get(default_language) or labels.humanize(v)
        for v, texts in (_options_of(target) if target is not None else [])
    }
    if op == "answered":
        return f"{key} {labels.operator_label(op)}"
    return f"{key} {labels.operator_label(op)} {option_label(value, options)}"


@register.simple_tag(takes_context=True)
def option_text(context: template.Context, option: Any, default_language: str) -> str:
    """An option's label in the reader's language, else the survey's default language."""
    language = get_language() or default_language  # the reader's: their preference, else their browser's
    value, texts = _option_pair(option)
    return texts.get(language) or texts.get(default_language) or labels.humanize(value)
