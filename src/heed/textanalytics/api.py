"""Text analytics' API router, mounted by ``heed.api.api`` at ``/api``: ``/themes`` (what customers talk
about), ``/taxonomy`` (the organisation's themes and keywords) and ``/staff-mentions`` (staff named in
feedback and the tone of what is said about them).

``/themes`` and ``/staff-mentions`` take the response filters and ``source``, the kind of text to read
(``survey_answer`` today; complaints, call notes and social mentions later)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema

from heed.accounts import permissions
from heed.analytics.queries import run_query
from heed.api.schemas import ErrorOut
from heed.responses.selectors import ResponseFilters
from heed.textanalytics.comment_selectors import TextSource
from heed.textanalytics.queries import StaffMentionOut, StaffMentionsOut, StaffMentionsQuery, ThemesOut, ThemesQuery
from heed.textanalytics.selectors import theme_list

router = Router(tags=["text analytics"])


class TaxonomyThemeOut(Schema):
    """One theme of the organisation's taxonomy: keywords per language (word beginnings, ``$`` for a whole
    word) and the organisation's languages in which it has none (its comments there are never found)."""

    key: str
    name: str
    is_active: bool
    source: str
    keywords: dict[str, list[str]]
    languages_without_keywords: list[str]


class TextSourceQuery(Schema):
    source: TextSource | None = None  # the kind of text; all kinds when left out


def _user(request: HttpRequest):
    return request.auth  # type: ignore[attr-defined]


@router.get("/themes", response={200: ThemesOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def themes(request: HttpRequest, filters: Query[ResponseFilters], text: Query[TextSourceQuery]):
    """What customers talk about: per theme, comments, share, tone, NPS of the writers, share among detractors
    (the ``ThemesQuery`` kind of the analytics runner, which checks the role and the filters' scope)."""
    return run_query(ThemesQuery(filters=filters, source=text.source), user=_user(request)).result


@router.get("/taxonomy", response={200: list[TaxonomyThemeOut], 403: ErrorOut})
def taxonomy(request: HttpRequest):
    """The organisation's themes with their keywords per language, and the languages each has no keywords in."""
    user = _user(request)
    permissions.require(permissions.can_view_results(user))
    return theme_list(user=user)


@router.get("/staff-mentions", response={200: list[StaffMentionOut], 400: ErrorOut, 403: ErrorOut, 404: ErrorOut})
def staff_mentions(request: HttpRequest, filters: Query[ResponseFilters], text: Query[TextSourceQuery]):
    """Staff named in feedback, with the tone of what is said about each (positive = praised, negative =
    criticised; most praised first); the ``StaffMentionsQuery`` kind of the analytics runner."""
    result = run_query(StaffMentionsQuery(filters=filters, source=text.source), user=_user(request)).result
    assert isinstance(result, StaffMentionsOut)
    return result.mentions
