"""Forms of the survey builder pages. They only parse and validate input; services do the work."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from heed.core.bounds import NUMBER_LIMIT
from heed.core.labels import OPERATORS
from heed.core.labels import QUESTION_TYPES as QUESTION_TYPE_LABELS
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
    show_if_question = forms.CharField(required=False, max_length=40, label=_("Earlier question key"))
    show_if_op = forms.ChoiceField(
        choices=[(op, OPERATORS[op]) for op in ("eq", "ne", "in", "lte", "gte", "answered")], required=False,
        label=_("Condition"),
    )  # fmt: skip
    show_if_value = forms.CharField(required=False, max_length=200, label=_("Value"))

    def __init__(self, *args: Any, languages: list[str], default_language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        self.default_language = default_language
        for lang in languages:
            self.fields[f"text_{lang}"] = forms.CharField(
                label=format_lazy(_("Question ({language})"), language=lang),
                required=lang == default_language,
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
