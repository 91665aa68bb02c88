"""Text analytics' query kinds for the analytics runner (``heed.analytics.queries``): what customers talk about
(``ThemesQuery``) and the staff they name (``StaffMentionsQuery``), with typed outputs. Registered in
``TextAnalyticsConfig.ready``; a report, an export or an alert rule can store either and run it later
(``query_from_json`` then ``run_query``), scoped to the user who runs it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ninja import Field, Schema

from heed.analytics.queries import AnalyticsQuery, QueryRunner, query_runner_register
from heed.textanalytics.comment_selectors import TextSource
from heed.textanalytics.selectors import staff_summary, theme_summary

if TYPE_CHECKING:
    from heed.accounts.models import User

Reliability = Literal["ok", "flagged", "suppressed"]


class ShareOut(Schema):
    """A share with its 95% Wilson interval (``heed.stats.intervals.proportion``); value null when n is 0."""

    value: float | None
    n: int
    low: float | None
    high: float | None


class ThemeNpsOut(ShareOut):
    """The NPS of the respondents who raised the theme (adjusted Wald interval); value, low and high are null
    when the small-sample policy suppresses it (``reliability: suppressed``)."""

    reliability: Reliability


class ThemeRowOut(Schema):
    key: str
    name: str
    comments: int = Field(description="comments that mention the theme")
    share: ShareOut = Field(description="of all comments in view")
    negative_share: ShareOut = Field(description="of the theme's comments, read as negative")
    positive_share: ShareOut = Field(description="of the theme's comments, read as positive")
    nps: ThemeNpsOut
    among_detractors: ShareOut = Field(description="of the detractors' comments, those raising this theme")
    languages_without_keywords: list[str] = Field(description="organisation languages where it has no keywords")


class ThemesOut(Schema):
    comments: int
    detractor_comments: int
    themes: list[ThemeRowOut] = Field(description="sorted by share among detractors, then comments")


class StaffMentionOut(Schema):
    staff_id: int
    name: str
    unit: str | None = Field(description="the code of the staff member's unit")
    mentions: int
    positive: int = Field(description="mentions read as praise")
    negative: int = Field(description="mentions read as criticism")


class StaffMentionsOut(Schema):
    mentions: list[StaffMentionOut] = Field(description="most praised first")


class ThemesQuery(AnalyticsQuery):
    """Per theme: comments, share, tone, the NPS of its writers and its share among detractors."""

    kind: Literal["ThemesQuery"] = "ThemesQuery"
    source: TextSource | None = None


class StaffMentionsQuery(AnalyticsQuery):
    """Staff named in feedback and the tone of what is said about each."""

    kind: Literal["StaffMentionsQuery"] = "StaffMentionsQuery"
    source: TextSource | None = None
    limit: int = Field(100, ge=1, le=500)


def themes_run(query: ThemesQuery, user: User) -> ThemesOut:
    return ThemesOut.model_validate(theme_summary(user=user, filters=query.filters, source=query.source))


def staff_mentions_run(query: StaffMentionsQuery, user: User) -> StaffMentionsOut:
    rows = staff_summary(user=user, filters=query.filters, limit=query.limit, source=query.source)
    return StaffMentionsOut(mentions=[StaffMentionOut.model_validate(row) for row in rows])


def register_text_queries() -> None:
    """Called once from ``TextAnalyticsConfig.ready``."""
    query_runner_register(QueryRunner("ThemesQuery", ThemesQuery, ThemesOut, themes_run))
    query_runner_register(QueryRunner("StaffMentionsQuery", StaffMentionsQuery, StaffMentionsOut, staff_mentions_run))
