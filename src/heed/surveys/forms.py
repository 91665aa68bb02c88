"""Forms of the survey builder pages. They only parse and validate input; services do the work."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from heed.core.bounds import NUMBER_LIMIT
from heed.core.labels import operator_label, question_type_label
from heed.surveys.definition import QUESTION_TYPES
from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES
from heed.surveys.templates_library import TEMPLATES

LANGUAGE_CHOICES = list(SUPPORTED_LANGUAGES.items())


class SurveyCreateForm(forms.Form):
    title = forms.CharField(max_length=200)
    template = forms.ChoiceField(
        choices=[("", "Blank survey")] + [(t.key, t.title) for t in TEMPLATES.values()], required=False
    )
    languages = forms.MultipleChoiceField(choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple)
    default_language = forms.ChoiceField(choices=LANGUAGE_CHOICES)


class SurveySettingsForm(forms.Form):
    title = forms.CharField(max_length=200)
    languages = forms.MultipleChoiceField(choices=LANGUAGE_CHOICES, widget=forms.CheckboxSelectMultiple)
    default_language = forms.ChoiceField(choices=LANGUAGE_CHOICES)


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def _slug(label: str) -> str:
    return _SLUG_RE.sub("_", label.lower()).strip("_")[:60] or "option"


class QuestionForm(forms.Form):
    """A question with one text (and one list of option labels) per survey language.

    Options are written one per line in the default language as ``value = Label`` (or just
    ``Label``, whose value is derived from it); other languages give their labels in the same order.
    """

    key = forms.SlugField(max_length=40, help_text="Short name used in exports and skip logic, e.g. nps")
    type = forms.ChoiceField(choices=[(t, question_type_label(t)) for t in QUESTION_TYPES])
    required = forms.BooleanField(required=False)
    metric = forms.ChoiceField(
        choices=[("", "By question type"), ("none", "None"), ("nps", "NPS"), ("csat", "CSAT"), ("ces", "CES")],
        required=False,
        help_text="An NPS, CSAT or CES question counts for its metric unless you choose None (e.g. a second one).",
    )
    min_value = forms.FloatField(required=False, min_value=-NUMBER_LIMIT, max_value=NUMBER_LIMIT)
    max_value = forms.FloatField(required=False, min_value=-NUMBER_LIMIT, max_value=NUMBER_LIMIT)
    show_if_question = forms.CharField(required=False, max_length=40)
    show_if_op = forms.ChoiceField(
        choices=[(op, operator_label(op)) for op in ("eq", "ne", "in", "lte", "gte", "answered")], required=False
    )
    show_if_value = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: Any, languages: list[str], default_language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        self.default_language = default_language
        for lang in languages:
            self.fields[f"text_{lang}"] = forms.CharField(
                label=f"Question ({lang})",
                required=lang == default_language,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"options_{lang}"] = forms.CharField(
                label=f"Options ({lang})", required=False, widget=forms.Textarea(attrs={"rows": 3})
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
        show_if = None
        if data.get("show_if_question"):
            shown_when: Any = data.get("show_if_value", "")
            if data.get("show_if_op") == "in":
                shown_when = [v.strip() for v in shown_when.split(",") if v.strip()]
            show_if = {"question": data["show_if_question"], "op": data.get("show_if_op") or "eq", "value": shown_when}
        return {
            "key": data["key"],
            "type": data["type"],
            "required": data.get("required", False),
            "metric": data.get("metric", ""),
            "min_value": data.get("min_value"),
            "max_value": data.get("max_value"),
            "show_if": show_if,
            "options": options,
            "texts": {lang: data.get(f"text_{lang}", "") for lang in self.languages},
        }

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
        if question.show_if:
            value = question.show_if.get("value")
            initial.update(
                show_if_question=question.show_if.get("question"),
                show_if_op=question.show_if.get("op"),
                show_if_value=", ".join(value) if isinstance(value, list) else value,
            )
        for lang in languages:
            initial[f"text_{lang}"] = question.texts.get(lang, "")
            lines = []
            for option in question.options:
                label = option["labels"].get(lang, "")
                lines.append(f"{option['value']} = {label}" if lang == default_language else label)
            initial[f"options_{lang}"] = "\n".join(lines)
        return initial
