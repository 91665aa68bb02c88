"""The comment list: open-text answers filtered by score group, theme, tone and text, one page at a time.

Reads start from ``responses.selectors.comment_queryset`` (so from ``response_queryset``: the
organisation, the user's units and the response filters: survey, unit, channel, language, dates).
Text is shown as the user may read it (``comment_text``: masked for roles without access to
personal data), and the text search looks only at that same text, so a masked reader cannot find
a comment by the e-mail address it hides. Templates escape every comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict
from pydantic import BaseModel, ConfigDict, Field

from heed.accounts.permissions import can_see_personal_data
from heed.accounts.selectors import organisation_id_of
from heed.core.errors import ApplicationError
from heed.core.labels import humanize
from heed.responses.selectors import ResponseFilters, comment_queryset
from heed.textanalytics.models import AnnotationTheme, TextItem, ThemeDefinition
from heed.textanalytics.selectors import comment_text

if TYPE_CHECKING:
    from heed.accounts.models import User
    from heed.responses.models import Answer

ScoreGroup = Literal[
    "nps_detractor", "nps_passive", "nps_promoter", "csat_low", "csat_neutral", "csat_top2",
    "ces_hard", "ces_neutral", "ces_easy",
]  # fmt: skip
SCORE_GROUPS: tuple[str, ...] = get_args(ScoreGroup)
Tone = Literal["positive", "neutral", "negative"]
# The kinds of text (``TextItem.Source``): survey answers feed text items now, the others later.
TextSource = Literal["survey_answer", "complaint", "call_note", "social_mention"]

# NPS groups (Reichheld 2003); CSAT 1-5 with top-2-box 4-5; CES 1-7 ("it was easy": 7 = strongly agree).
_SCORE_RANGES: dict[str, tuple[str, int, int]] = {
    "nps_detractor": ("nps_score", 0, 6), "nps_passive": ("nps_score", 7, 8), "nps_promoter": ("nps_score", 9, 10),
    "csat_low": ("csat_score", 1, 2), "csat_neutral": ("csat_score", 3, 3), "csat_top2": ("csat_score", 4, 5),
    "ces_hard": ("ces_score", 1, 3), "ces_neutral": ("ces_score", 4, 4), "ces_easy": ("ces_score", 5, 7),
}  # fmt: skip

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
MAX_SEARCH_LENGTH = 100


class CommentFilters(BaseModel):
    """What to narrow the comment list to, on top of the response filters."""

    model_config = ConfigDict(frozen=True)

    score_group: ScoreGroup | None = None
    theme: str | None = Field(default=None, max_length=60)
    tone: Tone | None = None
    text: str | None = Field(default=None, max_length=MAX_SEARCH_LENGTH)
    source: TextSource | None = None


@dataclass(frozen=True)
class CommentPage:
    """One page of comments: ``items`` (dicts with ``answer``, ``text``, ``annotation``, ``themes`` as
    (key, name) pairs), the 1-based ``page`` actually shown, ``pages``, ``total`` comments, ``page_size``."""

    items: list[dict[str, Any]]
    page: int
    pages: int
    total: int
    page_size: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def theme_names(*, organisation_id: int, language: str | None = None) -> dict[str, str]:
    """Theme key -> the name people read: in ``language`` when the taxonomy has it, else its main name."""
    rows = ThemeDefinition.objects.filter(organisation_id=organisation_id).values_list("key", "name", "names")
    return {key: (names or {}).get(language or "") or name for key, name, names in rows}


def comment_filtered(
    *, user: User, filters: ResponseFilters | None = None, comment_filters: CommentFilters | None = None
) -> QuerySet[Answer]:
    """Comments ``user`` may read, narrowed by ``comment_filters``; newest first."""
    extra = comment_filters or CommentFilters()
    answers = comment_queryset(user=user, filters=filters)
    if extra.source is not None and extra.source != TextItem.Source.SURVEY_ANSWER:
        return answers.none()  # the list shows survey answers; other kinds of text have their own records
    if extra.score_group is not None:
        field, low, high = _SCORE_RANGES[extra.score_group]
        answers = answers.filter(**{f"response__{field}__gte": low, f"response__{field}__lte": high})
    if extra.theme:
        answers = answers.filter(
            Exists(AnnotationTheme.objects.filter(annotation__answer_id=OuterRef("pk"), key=extra.theme))
        )
    if extra.tone is not None:
        answers = answers.filter(annotation__sentiment=extra.tone)
    if extra.text and extra.text.strip():
        needle = extra.text.strip()
        if can_see_personal_data(user):
            answers = answers.filter(text_value__icontains=needle)
        else:  # search what the reader sees: the masked text
            answers = answers.filter(Q(annotation__redacted_text__icontains=needle))
    return answers


def comment_page(
    *, user: User, filters: ResponseFilters | None = None, comment_filters: CommentFilters | None = None,
    page: int = 1, page_size: int = DEFAULT_PAGE_SIZE,
) -> CommentPage:  # fmt: skip
    """One page of the filtered comments. A page past the end shows the last page.

    Raises ``ApplicationError`` for a page below 1 or a page size outside 1..MAX_PAGE_SIZE.
    """
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ApplicationError(f"The page size must be between 1 and {MAX_PAGE_SIZE}.")
    if page < 1:
        raise ApplicationError("The page number starts at 1.")
    answers = comment_filtered(user=user, filters=filters, comment_filters=comment_filters)
    total = answers.count()
    pages = max(1, -(-total // page_size))
    page = min(page, pages)
    start = (page - 1) * page_size
    rows = list(
        answers.select_related("annotation", "response__unit").prefetch_related("annotation__themes")[
            start : start + page_size
        ]
    )
    names = theme_names(organisation_id=organisation_id_of(user), language=getattr(user, "language", None))
    items = []
    for answer in rows:
        annotation = getattr(answer, "annotation", None)
        keys = [t.key for t in annotation.themes.all()] if annotation is not None else []
        items.append({
            "answer": answer, "text": comment_text(user, answer), "annotation": annotation,
            "themes": [(key, names.get(key) or humanize(key)) for key in sorted(keys)],
        })  # fmt: skip
    return CommentPage(items=items, page=page, pages=pages, total=total, page_size=page_size)


# The response filters (and the text source) a drill-down link carries over from the dashboard.
CARRIED = ("survey", "unit", "channel", "language", "date_from", "date_to", "source")


def drilldown_query(data: dict[str, Any] | None, **overrides: Any) -> QueryDict:
    """The comment list's query (``/comments/?...``) for the dashboard's current filters, with ``overrides``
    (e.g. theme=key); empty values are left out."""
    query = QueryDict(mutable=True)
    for name in CARRIED:
        value = (data or {}).get(name)
        if value not in (None, ""):
            query[name] = value.isoformat() if hasattr(value, "isoformat") else str(value)
    for name, value in overrides.items():
        if value not in (None, ""):
            query[name] = str(value)
    return query
