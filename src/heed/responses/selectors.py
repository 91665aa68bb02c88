"""Reads for responses. Every read goes through ``response_queryset``, scoped to the caller."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Self, cast

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from pydantic import BaseModel, ConfigDict, Field, model_validator

from heed.accounts.selectors import (
    organisation_id_of,
    organisation_of,
    unit_descendant_ids,
    unit_get,
    unit_ids_visible_to,
)
from heed.core.bounds import BoundedDate, DbId, ShortText, date_range_check
from heed.core.channels import ChannelName
from heed.core.errors import NotFoundError
from heed.responses.filter_spec import COUNTED, filter_spec_check, filters_raw_q
from heed.responses.models import Answer, ClientKey, Response, ResponseReview, ReviewState
from heed.surveys.language import LanguageCode
from heed.surveys.selectors import survey_get

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable

    from heed.accounts.models import User
    from heed.surveys.answering import AnswerValue

# A review state, or "all" (every state, rejected included); unset: every state but rejected.
ReviewStateFilter = Literal["received", "has_issues", "approved", "rejected", "edited", "all"]
REVIEW_STATE_CHOICES = ReviewState.choices  # (value, label) for forms
if set(ReviewStateFilter.__args__) != {*ReviewState.values, "all"}:  # type: ignore[attr-defined]
    raise RuntimeError("ReviewStateFilter must list every ReviewState and 'all'")

# How a response ended (``Response.Outcome``, AAPOR-style): the API's values and filter.
OutcomeName = Literal["complete", "partial", "screened_out"]
if set(OutcomeName.__args__) != set(Response.Outcome.values):  # type: ignore[attr-defined]
    raise RuntimeError("OutcomeName must list every Response.Outcome")
OUTCOME_DESCRIPTION = (
    "how the interview ended (AAPOR): complete (answered to the end); partial (broken off before the end, its "
    "answers count where given); screened_out (ended by a screening question: not eligible, no headline score)"
)


class SurveyResponseFilters(BaseModel):
    """The response filters within one survey (every filter of ``ResponseFilters`` but the survey): the query
    parameters of an endpoint whose path names the survey."""

    model_config = ConfigDict(frozen=True)

    unit_id: DbId | None = None
    channel: ChannelName | None = None
    language: LanguageCode | None = None
    touchpoint: ShortText | None = None
    age_group: ShortText | None = None
    date_from: BoundedDate | None = None
    date_to: BoundedDate | None = None
    review_state: ReviewStateFilter | None = Field(
        None,
        description="only responses in this review state (received, has_issues, approved, rejected, edited), or "
        "all of them with 'all'; unset: every state but rejected (rejected responses count in no figure)",
    )

    @model_validator(mode="after")
    def _date_range_in_order(self) -> Self:
        """A ``date_from`` after ``date_to`` raises ``DateRangeError`` (400 ``date_range_reversed`` on the API),
        not an empty result."""
        date_range_check(self.date_from, self.date_to)
        return self


class _SurveyFilter(BaseModel):
    survey_id: DbId | None = None


class ResponseFilters(SurveyResponseFilters, _SurveyFilter):
    """Which responses to read; also the API's query parameters for lists and metrics (``survey_id`` first).

    Every field is bounded (``heed.core.bounds``): ids in the 64-bit range, channel and language
    from their lists, dates ``YYYY-MM-DD`` within 2000-01-01 .. 2099-12-31; out-of-range values are
    a validation error (422 on the API, a 400 page on the results pages), never a database error.
    """

    model_config = ConfigDict(frozen=True)


filter_spec_check(ResponseFilters.model_fields)  # every filter is described for the raw and the rollup path


class ResponseListFilters(ResponseFilters):
    """The filters of the response list (``GET /api/responses``): ``ResponseFilters`` and the response's
    ``outcome``. Not a figure filter (metrics, themes and stored queries keep ``ResponseFilters``): ``response_list``
    applies it, given as its ``outcome`` argument."""

    outcome: OutcomeName | None = Field(None, description=f"only responses with this outcome; {OUTCOME_DESCRIPTION}")


def response_filters_check(*, user: User, filters: ResponseFilters) -> None:
    """Refuse filters that name what ``user`` cannot see, instead of answering with zeros.

    Raises ``NotFoundError`` (404, code ``not_found``) when ``filters.survey_id`` is not a survey of the
    user's organisation, or ``filters.unit_id`` is not a unit the user may see (another organisation's, or
    outside a unit manager's units). Two indexed lookups; every API read with filters calls it first.
    """
    survey_id = filters.survey_id
    if survey_id is not None and survey_get(organisation=organisation_of(user), survey_id=survey_id) is None:
        raise NotFoundError("No such survey.")
    if filters.unit_id is not None and unit_get(user=user, unit_id=filters.unit_id) is None:
        raise NotFoundError("No such unit (or it is outside your scope).")


def scoped_unit_ids(*, user: User, filters: ResponseFilters) -> set[int] | None:
    """Units whose data this read may include (``None``: all units, including none)."""
    visible = unit_ids_visible_to(user)
    if filters.unit_id is None:
        return visible
    subtree = unit_descendant_ids(organisation=organisation_of(user), root_ids={filters.unit_id})
    return subtree if visible is None else subtree & visible


def response_queryset(*, user: User, filters: ResponseFilters | None = None) -> QuerySet[Response]:
    """Responses ``user`` may see, narrowed by ``filters``. A unit filter includes units below it."""
    filters = filters or ResponseFilters()
    responses = Response.objects.filter(organisation_id=organisation_id_of(user))
    units = scoped_unit_ids(user=user, filters=filters)
    if units is not None:
        responses = responses.filter(unit_id__in=units)
    return responses.filter(filters_raw_q(filters))  # each set filter as the spec says (heed.responses.filter_spec)


def response_list(
    *, user: User, filters: ResponseFilters | None = None, outcome: OutcomeName | None = None
) -> QuerySet[Response]:
    """Responses ``user`` may see under ``filters`` (``response_queryset``), with ``outcome`` when given
    (``complete``, ``partial``, ``screened_out``), newest first, with their unit and answers."""
    responses = response_queryset(user=user, filters=filters)
    if outcome is not None:
        responses = responses.filter(outcome=outcome)
    return responses.select_related("unit").prefetch_related("answers").order_by("-submitted_at", "-id")


def comment_queryset(*, user: User, filters: ResponseFilters | None = None) -> QuerySet[Answer]:
    """Non-empty open-text answers of the responses ``user`` may see, newest first (not sliced)."""
    responses = response_queryset(user=user, filters=filters)
    return (
        Answer.objects.filter(response__in=responses, question_type="text")
        .exclude(text_value="")
        .select_related("response__unit")
        .order_by("-response__submitted_at", "-id")
    )


def comment_list(*, user: User, filters: ResponseFilters | None = None, limit: int = 50) -> QuerySet[Answer]:
    """Newest open-text answers with their response's unit and scores (text is escaped by templates)."""
    return comment_queryset(user=user, filters=filters)[:limit]


TEXT_ANSWER_TYPES = ("text",)


def text_answer_queryset(*, organisation_id: int | None = None) -> QuerySet[Answer]:
    """Open-text answers with text (of one organisation when given), unscoped by user: what text analytics
    reads from survey answers (``textanalytics.text_items``); never shown to a user without scoping."""
    answers = Answer.objects.filter(question_type__in=TEXT_ANSWER_TYPES).exclude(text_value="")
    if organisation_id is not None:
        answers = answers.filter(response__organisation_id=organisation_id)
    return answers


def scored_text_answer_queryset(*, organisation_id: int) -> QuerySet[Answer]:
    """The organisation's open-text answers with text whose response has an NPS, CSAT or CES score: the weakly
    labelled comments a sentiment model learns from (``textanalytics.services.sentiment_model_retrain``).
    Unscoped by user and unordered; never shown to a user without scoping."""
    return text_answer_queryset(organisation_id=organisation_id).filter(
        Q(response__nps_score__isnull=False)
        | Q(response__csat_score__isnull=False)
        | Q(response__ces_score__isnull=False)
    )


def numeric_answer_rows(
    *, user: User, filters: ResponseFilters, keys: Sequence[str], version_ids: Mapping[str, Iterable[int]] | None = None
) -> list[tuple[int, str, float]]:
    """``(response id, question key, number)`` of every numeric answer to the questions ``keys`` in the responses
    ``user`` may see under ``filters`` (``response_queryset``), in no particular order; unanswered questions have
    no row. With ``version_ids`` (question key -> survey version ids; every key of ``keys`` must be in it), a
    question's answers are read only from the responses to those versions. One query (key driver analysis)."""
    responses = response_queryset(user=user, filters=filters)
    answers = Answer.objects.filter(
        response__in=responses.values("id"), question_key__in=keys, number_value__isnull=False
    )
    if version_ids is not None:
        comparable = Q(pk__in=[])
        for key in keys:
            comparable |= Q(question_key=key, response__version_id__in=sorted(version_ids[key]))
        answers = answers.filter(comparable)
    rows = answers.order_by().values_list("response_id", "question_key", "number_value")
    return cast("list[tuple[int, str, float]]", list(rows))  # number_value__isnull=False: never None


def responses_unscoped(
    *, organisation_id: int | None = None, survey_id: int | None = None, submitted_from: dt.datetime | None = None,
    submitted_before: dt.datetime | None = None,
) -> QuerySet[Response]:  # fmt: skip
    """Every stored response (of one organisation, one survey, submitted in [``submitted_from``,
    ``submitted_before``) when given), unscoped by user and unordered: what background aggregation reads (daily
    rollups, survey weights). Never shown to a user without scoping (``response_queryset`` scopes)."""
    responses = Response.objects.all()
    if organisation_id is not None:
        responses = responses.filter(organisation_id=organisation_id)
    if survey_id is not None:
        responses = responses.filter(survey_id=survey_id)
    if submitted_from is not None:
        responses = responses.filter(submitted_at__gte=submitted_from)
    if submitted_before is not None:
        responses = responses.filter(submitted_at__lt=submitted_before)
    return responses


def response_outcomes_by_submitter(
    *,
    survey_id: int,
    unit_id: int,
    submitted_by_id: int,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> dict[str, int]:
    """How the stored responses ``submitted_by_id`` (an interviewer) sent for a survey at one unit ended, with
    ``submitted_at`` in [since, until) when given (fieldwork's assignment progress): ``{"complete": n, "partial":
    n, "screened_out": n}`` (all keys always present), counting those figures count (not rejected in review:
    ``filter_spec.COUNTED``). One indexed GROUP BY."""
    responses = Response.objects.filter(COUNTED, survey_id=survey_id, unit_id=unit_id, submitted_by_id=submitted_by_id)
    if since is not None:
        responses = responses.filter(submitted_at__gte=since)
    if until is not None:
        responses = responses.filter(submitted_at__lt=until)
    counts = dict.fromkeys(Response.Outcome.values, 0)
    for outcome, n in responses.order_by().values_list("outcome").annotate(n=Count("id")).values_list("outcome", "n"):
        counts[outcome] = n
    return counts


def response_get(*, user: User, response_id: int) -> Response | None:
    """One response ``user`` may see (their organisation and units), in any review state (rejected included),
    with its version, unit and answers loaded; ``None`` when there is none or it is out of scope."""
    return (
        response_queryset(user=user, filters=ResponseFilters(review_state="all"))
        .select_related("version", "unit", "survey", "submitted_by")
        .prefetch_related("answers")
        .filter(pk=response_id)
        .first()
    )


def response_review_history(*, response: Response) -> QuerySet[ResponseReview]:
    """The response's review history, oldest first: who (``actor_name``), when (``created_at``), ``from_state``,
    ``to_state``, ``comment`` and, for edits, ``previous_answers``."""
    return ResponseReview.objects.filter(response=response).order_by("created_at", "id")


REVIEWS_TO_DEVICE_MAX = 500


def interviewer_reviews(*, interviewer_id: int, limit: int = REVIEWS_TO_DEVICE_MAX) -> list[dict[str, object]]:
    """What the interviewer app learns at sync about the interviewer's reviewed responses (contract 2): one dict
    per response they submitted with a ``client_key`` whose state is not ``received`` -- ``client_key``,
    ``response_id``, ``state``, ``comment`` and ``reviewed_at`` (of the latest review) -- most recently reviewed
    first, at most ``limit``. One query."""
    latest = ResponseReview.objects.filter(response=OuterRef("pk")).order_by("-created_at", "-id")
    rows = (
        Response.objects.filter(submitted_by_id=interviewer_id)
        .exclude(review_state=ReviewState.RECEIVED)
        .exclude(client_key=None)
        .annotate(
            reviewed_at=Subquery(latest.values("created_at")[:1]), review_comment=Subquery(latest.values("comment")[:1])
        )  # fmt: skip
        .order_by(F("reviewed_at").desc(nulls_last=True), "-id")
        .values("client_key", "id", "review_state", "review_comment", "reviewed_at")[:limit]
    )
    return [
        {"client_key": row["client_key"], "response_id": row["id"], "state": row["review_state"],
         "comment": row["review_comment"] or "", "reviewed_at": row["reviewed_at"]}
        for row in rows
    ]  # fmt: skip


def response_answers(*, response_ids: Iterable[int]) -> dict[int, dict[str, AnswerValue]]:
    """response id -> {question key: value as stored (``Answer.value``)} for the given responses, unscoped by
    user (fieldwork's data-quality flags compare interviews with it; never shown without scoping). Responses
    without answers, or unknown ids, are absent. One query per 1,000 ids."""
    ids = sorted(set(response_ids))
    found: dict[int, dict[str, AnswerValue]] = {}
    for first in range(0, len(ids), 1000):
        for answer in Answer.objects.filter(response_id__in=ids[first : first + 1000]).only(
            "response_id", "question_key", "number_value", "text_value", "choice_values"
        ):
            value = answer.value
            if value is not None:
                found.setdefault(answer.response_id, {})[answer.question_key] = value
    return found


def response_outcome_counts(*, user: User, survey_id: int | None = None) -> dict[str, int]:
    """How the responses ``user`` may see ended: ``{"complete": n, "partial": n, "screened_out": n}`` (all keys always
    present; screened out = not eligible in AAPOR's terms, counted but never in a satisfaction figure), for one
    survey when ``survey_id`` is given. Raises nothing; an unknown survey counts zero."""
    responses = response_queryset(user=user)
    if survey_id is not None:
        responses = responses.filter(survey_id=survey_id)
    counts = dict.fromkeys(Response.Outcome.values, 0)
    for outcome, n in responses.order_by().values_list("outcome").annotate(n=Count("id")).values_list("outcome", "n"):
        counts[outcome] = n
    return counts


def client_keys_known(*, organisation_id: int, keys: Iterable[str]) -> set[str]:
    """The ``keys`` already in the organisation's client_key ledger (stored, or stored and since deleted): a
    resend of one of them is a replay or a conflict for the ingestion service to decide, never new work.

    One query with the keys as one parameter (PostgreSQL ``= ANY(array)``, SQLite ``IN json_each(...)``), both
    on the ledger's unique (organisation, key) index: a batch of 500 keys as 500 placeholders cost more to
    compile and convert than to look up."""
    wanted = sorted(set(keys))
    if not wanted:
        return set()
    table = connection.ops.quote_name(ClientKey._meta.db_table)
    if connection.vendor == "postgresql":
        sql = f'SELECT "key" FROM {table} WHERE "organisation_id" = %s AND "key" = ANY(%s)'
        params: list[Any] = [organisation_id, wanted]
    elif connection.vendor == "sqlite":
        sql = f'SELECT "key" FROM {table} WHERE "organisation_id" = %s AND "key" IN (SELECT value FROM json_each(%s))'
        params = [organisation_id, json.dumps(wanted)]
    else:  # pragma: no cover - Heed runs on PostgreSQL and SQLite
        return set(ClientKey.objects.filter(organisation_id=organisation_id, key__in=wanted)
                   .values_list("key", flat=True))  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0] for row in cursor.fetchall()}


def question_order(keys: Iterable[str]) -> Callable[[str], tuple[int, str]]:
    """A sort key on question keys following ``keys`` (a version's questions in order), unknown keys after, by
    name: answers are read back from the database in no particular order (open-text answers are inserted last)."""
    position = {key: index for index, key in enumerate(keys)}
    return lambda key: (position.get(key, len(position)), key)
