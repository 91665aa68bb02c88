"""Forms of the text-analytics pages (themes, comments). They only parse and validate input."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from heed.accounts.selectors import organisation_id_of, organisation_of
from heed.core.form_fields import choice_field
from heed.core.labels import SCORE_GROUPS, TONES
from heed.surveys.selectors import survey_list
from heed.textanalytics.comment_selectors import MAX_SEARCH_LENGTH, CommentFilters, theme_names
from heed.textanalytics.selectors import TEXT_SOURCE_CHOICES, text_source_choices
from heed.web.forms import ResponseFilterForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from heed.accounts.models import User

MAX_PAGE = 100_000


class ThemeForm(forms.Form):
    key = forms.SlugField(max_length=60, required=False, label=gettext_lazy("Key"))
    name = forms.CharField(max_length=120, label=gettext_lazy("Name"))
    editing = forms.SlugField(max_length=60, required=False, widget=forms.HiddenInput,
                              help_text="the key of the theme being edited; empty when adding")  # fmt: skip

    def __init__(self, *args, languages: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        for lang in languages:
            self.fields[f"keywords_{lang}"] = forms.CharField(
                label=format_lazy(gettext_lazy("Keywords ({language})"), language=lang), required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=gettext_lazy("comma-separated word beginnings or phrases"),
            )  # fmt: skip

    def keywords(self) -> dict[str, list[str]]:
        return {lang: self.cleaned_data.get(f"keywords_{lang}", "").split(",") for lang in self.languages}

    def keyword_fields(self) -> list:
        return [self[f"keywords_{lang}"] for lang in self.languages]


class DiscoverForm(forms.Form):
    """``?discover=<language>``: propose new themes from that language's uncovered comments."""

    discover = forms.ChoiceField(required=False, label=gettext_lazy("Language"))

    def __init__(self, *args, languages: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "discover").choices = [("", "—")] + [(lang, lang) for lang in languages]


class CommentFilterForm(ResponseFilterForm):
    survey = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    score = forms.ChoiceField(required=False, label=_("Score"), choices=[("", _("All scores")), *SCORE_GROUPS.items()])
    theme = forms.ChoiceField(required=False, label=_("Theme"))
    tone = forms.ChoiceField(required=False, label=_("Tone"), choices=[("", _("All tones")), *TONES.items()])
    q = forms.CharField(required=False, max_length=MAX_SEARCH_LENGTH, label=_("Text contains"), strip=True)
    source = forms.ChoiceField(required=False, label=_("Source"), choices=TEXT_SOURCE_CHOICES)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)
    field_order = [
        "survey", "unit", "channel", "language", "date_from", "date_to", "score", "theme", "tone", "q", "source"
    ]  # fmt: skip

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        choice_field(self, "survey").choices = [("", _("All surveys"))] + [
            (s.id, s.title) for s in survey_list(organisation=organisation_of(user))
        ]
        names = theme_names(organisation_id=organisation_id_of(user), language=user.language)
        themes: list[tuple[str, StrOrPromise]] = sorted(names.items(), key=lambda kv: kv[1].lower())
        choice_field(self, "theme").choices = [("", _("All themes")), *themes]
        self.fields["source"].widget.choices = text_source_choices(organisation_id=organisation_id_of(user))

    def comment_filters(self) -> CommentFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return CommentFilters(
            score_group=data.get("score") or None, theme=data.get("theme") or None, tone=data.get("tone") or None,
            text=data.get("q") or None, source=data.get("source") or None,
        )  # fmt: skip
