"""Reads for text analytics: what customers talk about (themes), who they praise (staff), comments."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext, gettext_lazy

from heed.accounts.permissions import can_see_personal_data
from heed.accounts.selectors import organisation_id_of
from heed.analytics.selectors import headline_pooling
from heed.nlp.pii import redact
from heed.nlp.themes import Theme
from heed.responses.filter_spec import day_start
from heed.responses.selectors import ResponseFilters, response_queryset, scoped_unit_ids
from heed.stats.intervals import nps_adjusted_wald, proportion
from heed.stats.reliability import NPS_POLICY, reliability
from heed.textanalytics.models import (
    AnnotationTheme,
    StaffMember,
    StaffMention,
    TextAnnotation,
    TextItem,
    ThemeDefinition,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from heed.accounts.models import User

_SURVEY = TextItem.Source.SURVEY_ANSWER


# Response filters only survey answers carry: with one of them set, texts of other kinds are left out.
RESPONSE_ONLY_FILTERS = ("survey_id", "channel", "touchpoint", "age_group", "review_state")


def other_text_items(*, user: User, filters: ResponseFilters | None = None) -> QuerySet[TextItem] | None:
    """Text items of kinds other than survey answers that ``user`` may see under ``filters``: the user's units
    (and the unit filter, with the units below it), the language and the dates (``created_at``, in the server's
    time zone as for responses). None when a filter only survey answers carry is set, or the organisation has
    no texts of another kind (one indexed lookup)."""
    filters = filters or ResponseFilters()
    others = TextItem.objects.filter(
        organisation_id=organisation_id_of(user), source__in=[s for s in TextItem.Source.values if s != _SURVEY]
    )
    if any(getattr(filters, name) is not None for name in RESPONSE_ONLY_FILTERS) or not others.exists():
        return None
    units = scoped_unit_ids(user=user, filters=filters)
    if units is not None:
        others = others.filter(unit_id__in=units)
    if filters.language:
        others = others.filter(language=filters.language)
    if filters.date_from is not None:
        others = others.filter(created_at__gte=day_start(filters.date_from))
    if filters.date_to is not None:
        others = others.filter(created_at__lt=day_start(filters.date_to + dt.timedelta(days=1)))
    return others


def _annotations(user: User, filters: ResponseFilters | None, source: str | None = None):
    """Annotations of the texts ``user`` may read under ``filters``: survey answers of the responses in scope,
    and texts of other kinds (:func:`other_text_items`); ``source`` keeps one kind."""
    responses = response_queryset(user=user, filters=filters).values("id")
    scope = Q(answer__response__in=responses) if source in (None, _SURVEY) else Q(pk__in=[])
    others = other_text_items(user=user, filters=filters) if source != _SURVEY else None
    if others is not None:
        scope |= Q(answer__isnull=True, item__in=others.values("id"))
    annotations = TextAnnotation.objects.filter(organisation_id=organisation_id_of(user)).filter(scope)
    return annotations if source is None else annotations.filter(item__source=source)


def theme_summary(*, user: User, filters: ResponseFilters | None = None, source: str | None = None) -> dict[str, Any]:
    """Per theme: how many comments mention it, how negative they are, the NPS of those who wrote them,
    and how often detractors raise it ("what detractors talk about"), sorted by that last figure. ``source``
    (a ``TextItem.Source`` value) keeps the comments of that kind of text only."""
    annotations = _annotations(user, filters, source)
    # NPS read only from versions whose NPS question means what it means in the version analysed (issue 7, pt 3)
    excluded = sorted(headline_pooling(user=user, filters=filters).excluded["nps"])
    same = ~Q(answer__response__version_id__in=excluded) if excluded else Q()
    same_theme = ~Q(annotation__answer__response__version_id__in=excluded) if excluded else Q()
    totals = annotations.aggregate(
        comments=Count("id"), detractors=Count("id", filter=Q(answer__response__nps_score__lte=6) & same),
        negative=Count("id", filter=Q(sentiment="negative")),
    )  # fmt: skip
    grouped = (
        AnnotationTheme.objects.filter(annotation__in=annotations)
        .values("key")
        .annotate(
            comments=Count("id"), negative=Count("id", filter=Q(annotation__sentiment="negative")),
            positive=Count("id", filter=Q(annotation__sentiment="positive")),
            # respondents, not comments: one person raising a theme in two answers counts once
            nps_n=Count("annotation__answer__response", distinct=True,
                        filter=Q(annotation__answer__response__nps_score__isnull=False) & same_theme),
            promoters=Count("annotation__answer__response", distinct=True,
                            filter=Q(annotation__answer__response__nps_score__gte=9) & same_theme),
            detractors=Count("annotation__answer__response", distinct=True,
                             filter=Q(annotation__answer__response__nps_score__lte=6) & same_theme),
        )
    )  # fmt: skip
    definitions = ThemeDefinition.objects.filter(organisation_id=organisation_id_of(user))
    names = dict(definitions.values_list("key", "name"))
    languages = organisation_languages(user.organisation)
    gaps = {key: languages_without_keywords(keywords, languages) for key, keywords in
            definitions.values_list("key", "keywords")}  # fmt: skip
    rows = []
    for g in grouped:
        score = nps_adjusted_wald(promoters=g["promoters"], detractors=g["detractors"], n=g["nps_n"])
        mark = reliability(effective_n=score.n, low=score.low, high=score.high, policy=NPS_POLICY).value
        if mark == "suppressed":  # a suppressed figure carries no value and no interval, only n
            score = score.suppressed()
        rows.append({
            "key": g["key"], "name": names.get(g["key"], g["key"]), "comments": g["comments"],
            "share": proportion(successes=g["comments"], n=totals["comments"]).as_dict(3),
            "negative_share": proportion(successes=g["negative"], n=g["comments"]).as_dict(3),
            "positive_share": proportion(successes=g["positive"], n=g["comments"]).as_dict(3),
            "nps": score.as_dict(1) | {"reliability": mark},
            "among_detractors": proportion(successes=g["detractors"], n=totals["detractors"]).as_dict(3),
            "languages_without_keywords": gaps.get(g["key"], []),
        })  # fmt: skip
    rows.sort(key=lambda r: (-(r["among_detractors"]["value"] or 0), -r["comments"]))
    return {"comments": totals["comments"], "detractor_comments": totals["detractors"], "themes": rows}


def staff_summary(
    *, user: User, filters: ResponseFilters | None = None, limit: int = 20, source: str | None = None
) -> list[dict[str, Any]]:
    """Staff named in feedback, with the tone of what is said about each (``positive`` praised, ``negative``
    criticised; :mod:`heed.nlp.staff_tone`), most praised first; ``source`` as in :func:`theme_summary`."""
    mentions = StaffMention.objects.filter(annotation__in=_annotations(user, filters, source), ambiguous=False)
    grouped = (
        mentions.values("staff_id", "staff__first_name", "staff__last_name", "staff__unit__code")
        .annotate(
            mentions=Count("id"), positive=Count("id", filter=Q(sentiment="positive")),
            negative=Count("id", filter=Q(sentiment="negative")),
        )
        .order_by("-positive", "negative", "staff__first_name")[:limit]
    )  # fmt: skip
    return [
        {"staff_id": g["staff_id"], "name": f"{g['staff__first_name']} {g['staff__last_name']}".strip(),
         "unit": g["staff__unit__code"], "mentions": g["mentions"], "positive": g["positive"],
         "negative": g["negative"]}
        for g in grouped
    ]  # fmt: skip


def comment_text(user: User, answer: Any) -> str:
    """The comment as this user may read it: as written, or with personal data masked."""
    if can_see_personal_data(user):
        return answer.text_value
    annotation = getattr(answer, "annotation", None)
    return annotation.redacted_text if annotation is not None else redact(answer.text_value).text


def annotation_dict(answer: Any) -> dict[str, Any] | None:
    annotation = getattr(answer, "annotation", None) if answer.question_type == "text" else None
    if annotation is None:
        return None
    return {
        "language": annotation.language, "sentiment": annotation.sentiment,
        "sentiment_score": round(annotation.sentiment_score, 3),
        "themes": [theme.key for theme in annotation.themes.all()], "model_version": annotation.model_version,
    }  # fmt: skip


def active_themes(*, organisation_id: int) -> list[Theme]:
    """The organisation's active taxonomy as matcher themes (keyword lists per language)."""
    return [
        Theme(key=t.key, names=t.names or {"en": t.name}, keywords={k: tuple(v) for k, v in t.keywords.items()})
        for t in ThemeDefinition.objects.filter(organisation_id=organisation_id, is_active=True).order_by("key")
    ]


def organisation_languages(organisation: Any) -> list[str]:
    """The languages an organisation reads comments in (its default language if it lists none)."""
    return list(organisation.languages or [organisation.default_language])


def languages_without_keywords(keywords: dict[str, list[str]] | None, languages: list[str]) -> list[str]:
    """The ``languages`` in which a theme has no keyword, so that its comments in them are never found."""
    return [lang for lang in languages if not (keywords or {}).get(lang)]


def theme_list(*, user: User) -> list[ThemeDefinition]:
    """The organisation's themes (active first, by name), each with ``languages_without_keywords``: the
    organisation's languages in which the theme has no keyword."""
    languages = organisation_languages(user.organisation)
    themes = list(
        ThemeDefinition.objects.filter(organisation_id=organisation_id_of(user)).order_by("-is_active", "name")
    )
    for theme in themes:
        # An attribute of this read only (the page and the API's ThemeOut show it), not a model field.
        theme.languages_without_keywords = languages_without_keywords(theme.keywords, languages)  # type: ignore[attr-defined]
    return themes


def theme_candidates(*, user: User, lang: str, days: int = 90, limit: int = 3000) -> list:
    """New themes proposed from recent comments in ``lang`` that the active taxonomy does not cover."""
    import datetime as dt

    from django.utils import timezone

    from heed.nlp.discovery import discover_themes
    from heed.nlp.themes import ThemeMatcher

    since = timezone.now() - dt.timedelta(days=days)
    texts = list(
        _annotations(user, ResponseFilters(date_from=since.date()))
        .filter(language=lang)
        .order_by("-answer__response__submitted_at")
        .values_list("redacted_text", flat=True)[:limit]
    )
    known = ThemeMatcher(active_themes(organisation_id=organisation_id_of(user)))
    return discover_themes(texts, lang=lang, known=known) if texts else []


def staff_list(*, user: User, unit_id: int | None = None):
    """The staff lists of ``user``'s organisation (optionally one unit), active first, with their unit."""
    members = StaffMember.objects.filter(organisation_id=organisation_id_of(user)).select_related("unit")
    if unit_id is not None:
        members = members.filter(unit_id=unit_id)
    return members.order_by("unit__code", "-is_active", "first_name", "last_name", "id")


def staff_get(*, user: User, staff_id: int) -> StaffMember | None:
    """A staff member of ``user``'s organisation, or ``None`` (another organisation's is never found)."""
    return staff_list(user=user).filter(id=staff_id).first()


# Every kind of text, for a filter field's valid choices (a link with any kind parses; see text_source_choices).
TEXT_SOURCE_CHOICES: list[tuple[str, StrOrPromise]] = [("", gettext_lazy("All texts")), *TextItem.Source.choices]


def text_source_choices(*, organisation_id: int) -> list[tuple[str, str]]:
    """What a "source" picker offers: all texts, then the kinds the organisation has (survey answers always)."""
    labels = dict(TextItem.Source.choices)
    return [("", gettext("All texts"))] + [(s, str(labels[s])) for s in text_sources(organisation_id=organisation_id)]


def text_sources(*, organisation_id: int) -> list[str]:
    """The kinds of text (``TextItem.Source`` values) an organisation has items of, in the order of the
    choices; survey answers always (they feed items as they arrive)."""
    present = set(TextItem.objects.filter(organisation_id=organisation_id).values_list("source", flat=True).distinct())
    present.add(TextItem.Source.SURVEY_ANSWER)
    return [s for s in TextItem.Source.values if s in present]
