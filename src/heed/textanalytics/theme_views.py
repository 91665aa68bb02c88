"""The theme taxonomy: edit themes and their keywords per language, accept newly discovered themes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from heed.accounts.permissions import can_design_surveys
from heed.accounts.selectors import organisation_of
from heed.core.errors import ApplicationError
from heed.surveys.i18n_strings import SUPPORTED_LANGUAGES
from heed.textanalytics.forms import DiscoverForm, ThemeForm
from heed.textanalytics.models import ThemeDefinition
from heed.textanalytics.selectors import (
    languages_without_keywords,
    organisation_languages,
    theme_candidates,
    theme_list,
)
from heed.textanalytics.services import annotations_pending, taxonomy_ensure_default, theme_save, theme_toggle_active
from heed.web.access import role_required
from heed.web.filter_errors import filter_error_page

if TYPE_CHECKING:
    from heed.accounts.models import Organisation, User

designer_required = role_required(can_design_surveys)


def _source(request: HttpRequest) -> str:
    discovered = request.POST.get("source") == ThemeDefinition.Source.DISCOVERED
    return ThemeDefinition.Source.DISCOVERED if discovered else ThemeDefinition.Source.MANUAL


def _edit_initial(organisation: Organisation, key: str | None) -> dict[str, str] | None:
    """The form filled with an existing theme, to add keywords (e.g. in the languages it lacks)."""
    theme = ThemeDefinition.objects.filter(organisation=organisation, key=key).first() if key else None
    if theme is None:
        return None
    initial = {"key": theme.key, "name": theme.name, "editing": theme.key}
    initial |= {f"keywords_{lang}": ", ".join(words) for lang, words in theme.keywords.items()}
    return initial


def _saved_message(request: HttpRequest, theme: ThemeDefinition, languages: list[str]) -> None:
    """Say the theme was saved, and warn about the organisation's languages it has no keywords in."""
    saved = gettext("Theme “{name}” saved; comments are being re-read with the new taxonomy.").format(name=theme.name)
    missing = languages_without_keywords(theme.keywords, languages)
    if not missing:
        messages.success(request, saved)
        return
    names = ", ".join(SUPPORTED_LANGUAGES.get(lang, lang) for lang in missing)
    warning = gettext(
        "It has no keywords in {names}: comments in those languages are not found until you add them (Edit)."
    )
    messages.warning(request, f"{saved} {warning.format(names=names)}")


def _progress(user: User) -> dict:
    """How far the background worker has re-read the comments with the current taxonomy."""
    done, total = annotations_pending(organisation=organisation_of(user))
    finished = done >= total
    text = (
        f"All {total:,} comments are read with the current themes."
        if finished
        else f"Re-reading comments: {done:,} of {total:,}"
    )
    return {"done": done, "total": total, "finished": finished, "text": text}


@designer_required
def theme_progress(request: HttpRequest) -> JsonResponse:
    """JSON for the themes page: {"done", "total", "finished", "text"} (comments read by the current pipeline)."""
    return JsonResponse(_progress(request.user))  # type: ignore[arg-type]


@designer_required
def themes(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    organisation = organisation_of(user)
    taxonomy_ensure_default(organisation=organisation)
    languages = organisation_languages(organisation)
    initial = _edit_initial(organisation, request.GET.get("edit"))
    form = ThemeForm(request.POST or None, languages=languages, initial=initial)
    status = 422  # the form's own errors
    if request.method == "POST" and form.is_valid():
        editing = form.cleaned_data["editing"]  # set by the Edit link; adding never overwrites a theme
        key = editing or form.cleaned_data["key"] or slugify(form.cleaned_data["name"]).replace("-", "_")[:60]
        try:
            theme = theme_save(organisation=organisation, key=key, name=form.cleaned_data["name"],
                               keywords=form.keywords(), source=_source(request), new=not editing)  # fmt: skip
        except ApplicationError as exc:
            form.add_error(None, exc.message)
            status = 409 if exc.status_code == 409 else 422
        else:
            _saved_message(request, theme, languages)
            return redirect("themes")
    discover = DiscoverForm(request.GET or None, languages=languages)
    if discover.is_bound and not discover.is_valid():
        return filter_error_page(request, discover, gettext("Themes"))
    lang = discover.cleaned_data.get("discover") or None if discover.is_bound else None
    candidates = theme_candidates(user=user, lang=lang) if lang else None
    return render(request, "textanalytics/themes.html", {
        "themes": theme_list(user=user), "form": form, "languages": languages, "discover_lang": lang,
        "candidates": candidates, "language_names": SUPPORTED_LANGUAGES, "editing": initial is not None,
        "progress": _progress(user),
    }, status=status if form.errors else 200)  # fmt: skip


@designer_required
@require_POST
def theme_toggle(request: HttpRequest, key: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    theme_toggle_active(organisation=organisation_of(user), key=key)
    return redirect("themes")
