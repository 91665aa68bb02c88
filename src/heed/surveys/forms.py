"""Forms of the survey builder pages. They only parse and validate input; services do the work."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from heed.core.bounds import NUMBER_LIMIT
from heed.core.form_fields import UploadField
from heed.core.labels import OPERATORS
from heed.core.labels import QUESTION_TYPES as QUESTION_TYPE_LABELS
from heed.surveys.conditions import RuleError, check_shape, is_compound
from heed.surveys.definition import QUESTION_TYPES
from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES
from heed.surveys.templates_library import TEMPLATES

LANGUAGE_CHOICES = list(SUPPORTED_LANGUAGES.items())


class SurveyCreateForm(forms.Form):
    title = forms.CharField(max_length=200, label=_("Title"))
    template = forms.ChoiceField(
        choices=[("", _("Blank survey"))] + [(t.key, t.title) for t in TEMPLATES.values()], required=False,
        label=_("Start from"),
    )  # fmt: skip
    languages = forms.MultipleChoiceField(choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple,
                                          label=_("Languages"))  # fmt: skip
    default_language = forms.ChoiceField(choices=LANGUAGE_CHOICES, label=_("Default language"))


class XLSFormUploadForm(forms.Form):
    file = UploadField(label=_("XLSForm workbook (.xlsx)"))


class SurveySettingsForm(forms.Form):
    """Title, languages and one public title per language (``public_title_<code>``, the name respondents see)."""

    title = forms.CharField(max_length=200, label=_("Title"))
    languages = forms.MultipleChoiceField(choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple,
                                          label=_("Languages"))  # fmt: skip
    default_language = forms.ChoiceField(choices=LANGUAGE_CHOICES, label=_("Default language"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in LANGUAGE_CHOICES:
            self.fields[f"public_title_{code}"] = forms.CharField(
                max_length=200, required=False, label=format_lazy(_("Public title ({language})"), language=name)
            )

    def public_title_fields(self, languages: list[str]) -> list[forms.BoundField]:
        """The public title fields of ``languages``, in that order (the page shows those of the survey's)."""
        return [self[f"public_title_{code}"] for code in languages if f"public_title_{code}" in self.fields]

    def settings(self) -> dict[str, Any]:
        """The cleaned data as ``survey_update`` takes it: ``public_titles`` as ``{language: title}``."""
        data = dict(self.cleaned_data)
        titles = {code: data.pop(f"public_title_{code}") for code, _name in LANGUAGE_CHOICES}
        return {**data, "public_titles": titles}


_SLUG_RE = re.compile(r"[^a-z0-9]+")
CONDITION_ROWS = 4
"""Conditions the builder's form edits as "all of" / "any of" rows; other rules are kept as they are."""
MAX_KEPT_RULE = 8000


def _row_suffix(row: int) -> str:
    return f"_{row}" if row else ""


def _editable_rows(rule: dict[str, Any] | None) -> tuple[str, list[dict[str, Any]]]:
    """``(match, conditions)`` when the form's rows can show ``rule`` (one condition, or all/any of at most
    ``CONDITION_ROWS`` conditions); ``("", [])`` otherwise."""
    if not rule:
        return "", []
    if not is_compound(rule):
        return "", [rule]
    for match in ("all", "any"):
        parts = rule.get(match)
        if not isinstance(parts, list) or len(parts) > CONDITION_ROWS or set(rule) != {match}:
            continue
        if all(isinstance(part, dict) and not is_compound(part) for part in parts):
            return match, parts
    return "", []


def _slug(label: str) -> str:
    return _SLUG_RE.sub("_", label.lower()).strip("_")[:60] or "option"


class QuestionForm(forms.Form):
    """A question with one text (and one list of option labels) per survey language.

    Options are written one per line in the default language as ``value = Label`` (or just
    ``Label``, whose value is derived from it); other languages give their labels in the same order.
    """

    key = forms.SlugField(max_length=40, label=_("Key"),
                          help_text=_("Short name used in exports and skip logic, e.g. nps"))  # fmt: skip
    type = forms.ChoiceField(choices=[(t, QUESTION_TYPE_LABELS.get(t, t)) for t in QUESTION_TYPES], label=_("Type"))
    required = forms.BooleanField(required=False, label=_("Required"))
    metric = forms.ChoiceField(
        choices=[("", _("By question type")), ("none", _("None")), ("nps", "NPS"), ("csat", "CSAT"), ("ces", "CES")],
        required=False,
        label=_("Headline metric"),
        help_text=_("An NPS, CSAT or CES question counts for its metric unless you choose None (e.g. a second one)."),
    )
    min_value = forms.FloatField(required=False, min_value=-NUMBER_LIMIT, max_value=NUMBER_LIMIT, label=_("Min"))
    max_value = forms.FloatField(required=False, min_value=-NUMBER_LIMIT, max_value=NUMBER_LIMIT, label=_("Max"))
    show_if_match = forms.ChoiceField(
        choices=[("all", _("all of these conditions")), ("any", _("any of these conditions"))], required=False,
        label=_("Show it when"),
    )  # fmt: skip
    show_if_keep = forms.CharField(required=False, max_length=MAX_KEPT_RULE, widget=forms.HiddenInput)
    show_if_clear = forms.BooleanField(required=False, label=_("Remove this skip logic"))
    screen_out_op = forms.ChoiceField(
        choices=[("", _("Never (not a screening question)"))]
        + [(op, OPERATORS[op]) for op in ("eq", "ne", "in", "not_in", "lte", "gte")],
        required=False,
        label=_("End the interview as screened out when this answer"),
    )
    screen_out_value = forms.CharField(required=False, max_length=200, label=_("Screening value"))
    screen_out_keep = forms.CharField(required=False, max_length=MAX_KEPT_RULE, widget=forms.HiddenInput)

    def __init__(self, *args: Any, languages: list[str], default_language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        self.default_language = default_language
        for row in range(CONDITION_ROWS):
            suffix = _row_suffix(row)
            self.fields[f"show_if_question{suffix}"] = forms.CharField(
                required=False, max_length=40, label=_("Earlier question key")
            )
            self.fields[f"show_if_op{suffix}"] = forms.ChoiceField(
                choices=[(op, OPERATORS[op]) for op in ("eq", "ne", "in", "not_in", "lte", "gte", "answered")],
                required=False,
                label=_("Condition"),
            )
            self.fields[f"show_if_value{suffix}"] = forms.CharField(required=False, max_length=200, label=_("Value"))
        self._add_text_fields()

    def condition_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        rows = []
        for row in range(CONDITION_ROWS):
            suffix = _row_suffix(row)
            rows.append(
                (self[f"show_if_question{suffix}"], self[f"show_if_op{suffix}"], self[f"show_if_value{suffix}"])
            )
        return rows

    def kept_rule(self) -> dict[str, Any] | None:
        """The rule this form cannot edit row by row (nested or with not), kept unless removed."""
        raw = self["show_if_keep"].value()
        try:
            rule = json.loads(raw) if raw else None
        except ValueError:
            return None
        return rule if isinstance(rule, dict) else None

    def clean_screen_out_keep(self) -> str:
        raw = self.cleaned_data.get("screen_out_keep") or ""
        if raw:
            try:
                check_shape(json.loads(raw))
            except (ValueError, RuleError):
                raise forms.ValidationError(_("The kept screening rule is not readable; remove it.")) from None
        return raw

    def clean_show_if_keep(self) -> str:
        raw = self.cleaned_data.get("show_if_keep") or ""
        if raw:
            try:
                check_shape(json.loads(raw))
            except (ValueError, RuleError):
                raise forms.ValidationError(_("The kept skip logic is not readable; remove it.")) from None
        return raw

    def _add_text_fields(self) -> None:
        for lang in self.languages:
            self.fields[f"text_{lang}"] = forms.CharField(
                label=format_lazy(_("Question ({language})"), language=lang),
                required=lang == self.default_language,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"options_{lang}"] = forms.CharField(
                label=format_lazy(_("Options ({language})"), language=lang),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def text_fields(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"text_{lang}"], self[f"options_{lang}"]) for lang in self.languages]

    def question_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        options: list[dict[str, Any]] = []
        default_lines = [
            ln.strip() for ln in data.get(f"options_{self.default_language}", "").splitlines() if ln.strip()
        ]
        per_lang = {
            lang: [ln.strip() for ln in data.get(f"options_{lang}", "").splitlines() if ln.strip()]
            for lang in self.languages
        }
        for i, line in enumerate(default_lines):
            value, _, label = line.partition("=")
            value, label = (value.strip(), label.strip()) if label else (_slug(line), line)
            labels = {self.default_language: label}
            for lang, lines in per_lang.items():
                if lang != self.default_language and i < len(lines):
                    labels[lang] = lines[i]
            options.append({"value": value, "labels": labels})
        return {
            "key": data["key"],
            "type": data["type"],
            "required": data.get("required", False),
            "metric": data.get("metric", ""),
            "min_value": data.get("min_value"),
            "max_value": data.get("max_value"),
            "show_if": self._show_if(),
            "screen_out_if": self._screen_out_if(data["key"]),
            "options": options,
            "texts": {lang: data.get(f"text_{lang}", "") for lang in self.languages},
        }

    def _screen_out_if(self, key: str) -> dict[str, Any] | None:
        """The screening row as a rule on this question's own answer; without an operator, the kept rule (a
        compound screening rule set through the API, which this form does not edit), else none."""
        data = self.cleaned_data
        op = data.get("screen_out_op") or ""
        if not op:
            kept = data.get("screen_out_keep") or ""
            return json.loads(kept) if kept else None
        value: Any = data.get("screen_out_value", "")
        if op in ("in", "not_in"):
            value = [v.strip() for v in value.split(",") if v.strip()]
        return {"question": key, "op": op, "value": value}

    def _show_if(self) -> dict[str, Any] | None:
        """The rows as a rule: one condition, or all/any of several; none filled: the kept rule, if any."""
        data = self.cleaned_data
        conditions = []
        for row in range(CONDITION_ROWS):
            suffix = _row_suffix(row)
            if not data.get(f"show_if_question{suffix}"):
                continue
            op = data.get(f"show_if_op{suffix}") or "eq"
            value: Any = data.get(f"show_if_value{suffix}", "")
            if op in ("in", "not_in"):
                value = [v.strip() for v in value.split(",") if v.strip()]
            elif op == "answered":
                value = None
            conditions.append({"question": data[f"show_if_question{suffix}"], "op": op, "value": value})
        if len(conditions) == 1:
            return conditions[0]
        if conditions:
            return {data.get("show_if_match") or "all": conditions}
        if data.get("show_if_keep") and not data.get("show_if_clear"):
            return json.loads(data["show_if_keep"])
        return None

    @staticmethod
    def initial_from(question: Any, languages: list[str], default_language: str) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "key": question.key,
            "type": question.type,
            "required": question.required,
            "metric": question.metric,
            "min_value": question.min_value,
            "max_value": question.max_value,
        }
        rule = question.show_if or None
        match, conditions = _editable_rows(rule)
        if match:
            initial["show_if_match"] = match
        for row, condition in enumerate(conditions):
            suffix, value = _row_suffix(row), condition.get("value")
            initial[f"show_if_question{suffix}"] = condition.get("question")
            initial[f"show_if_op{suffix}"] = condition.get("op")
            initial[f"show_if_value{suffix}"] = ", ".join(map(str, value)) if isinstance(value, list) else value
        if rule and not conditions:
            initial["show_if_keep"] = json.dumps(rule, ensure_ascii=False)
        screening = getattr(question, "screen_out_if", None) or None
        if screening and set(screening) == {"question", "op", "value"} and screening["question"] == question.key:
            value = screening.get("value")
            initial["screen_out_op"] = screening["op"]
            initial["screen_out_value"] = ", ".join(map(str, value)) if isinstance(value, list) else value
        elif screening:
            initial["screen_out_keep"] = json.dumps(screening, ensure_ascii=False)
        for lang in languages:
            initial[f"text_{lang}"] = question.texts.get(lang, "")
            lines = []
            for option in question.options:
                label = option["labels"].get(lang, "")
                lines.append(f"{option['value']} = {label}" if lang == default_language else label)
            initial[f"options_{lang}"] = "\n".join(lines)
        return initial
