"""One runner for every analytics query kind: scoping, caching and background execution in one place.

Each kind registers a ``QueryRunner`` (``query_runner_register``): its query model, its typed output and the
function that computes it for a user. ``run_query`` then

* **scopes**: the caller must be allowed to see results, the filters must name only what the caller can see
  (``response_filters_check``), and every computation reads through ``response_queryset`` (the caller's
  organisation and units); the cache key holds the organisation and the caller's units, so nobody is served
  another scope's figures;
* **caches** the results of expensive kinds (bootstrapped key drivers; themes and staff mentions may register so
  too), keyed by the query, the scope and the data version (``analytics_data_version``): any change to the
  responses in view gives a new version, so a cached result is never stale, and nothing has to be deleted;
* **runs expensive kinds in the background** when asked (``background=True``, pages and the API): a miss queues
  ``analytics_query_run_task`` and answers ``computing``; the page polls until the worker has stored the result.
  With eager tasks (tests, one-off scripts) the task runs inside the call and the result is there at once.

A stored query (``query.model_dump(mode="json")``) is loaded with ``query_from_json`` and run with ``run_query``.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from django.core.cache import cache
from django.db.models import Max
from django.utils import translation
from pydantic import BaseModel, ValidationError

from heed.accounts import permissions
from heed.accounts.selectors import organisation_id_of, unit_ids_visible_to
from heed.analytics.models import DailyRollup, RollupDirtyDay
from heed.analytics.queries.schema import AnalyticsQuery
from heed.core.errors import ApplicationError, NotFoundError
from heed.responses.selectors import response_filters_check
from heed.surveys.selectors import version_id_latest

if TYPE_CHECKING:
    from heed.accounts.models import User

CACHE_SECONDS = 24 * 3600
RESULT_FORMAT = 1  # bump when a cached output's shape or an analysis' code changes: old entries are then unused
IN_FLIGHT_SECONDS = 120.0  # a queued computation is not queued again by polls for this long


@dataclass(frozen=True)
class QueryRunner:
    """How one query kind is computed: ``run(query, user)`` returns ``output`` (a pydantic model) or raises
    ``ApplicationError``; ``expensive`` kinds are cached and, when asked, computed in the background worker."""

    kind: str
    query: type[AnalyticsQuery]
    output: type[BaseModel]
    run: Callable[[Any, User], BaseModel]
    expensive: bool = False


QUERY_RUNNERS: dict[str, QueryRunner] = {}


def query_runner_register(runner: QueryRunner) -> None:
    """Add a query kind (analytics registers its own in ``AppConfig.ready``; text analytics registers themes and
    staff mentions the same way). Registering a kind twice with another query model is an error."""
    known = QUERY_RUNNERS.get(runner.kind)
    if known is not None and known.query is not runner.query:
        raise ValueError(f"query kind {runner.kind!r} is already registered")
    QUERY_RUNNERS[runner.kind] = runner


def query_runner(kind: str) -> QueryRunner:
    runner = QUERY_RUNNERS.get(kind)
    if runner is None:
        known = ", ".join(sorted(QUERY_RUNNERS)) or "none"
        raise ApplicationError(f"Unknown query kind {kind!r}; known kinds: {known}.", code="unknown_query_kind")
    return runner


def query_from_json(data: dict[str, Any] | str) -> AnalyticsQuery:
    """A stored query (a dict or its JSON text) as its typed model. Raises ``ApplicationError`` (400) with code
    ``unknown_query_kind`` or ``invalid_query`` (with the validation ``errors``)."""
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise ApplicationError(f"The query is not JSON: {exc.msg}.", code="invalid_query") from None
    if not isinstance(data, dict):
        raise ApplicationError("A query is a JSON object with a 'kind'.", code="invalid_query")
    runner = query_runner(str(data.get("kind")))
    try:
        return runner.query.model_validate(data)
    except ValidationError as exc:
        errors = {".".join(map(str, e["loc"])): e["msg"] for e in exc.errors()}
        raise ApplicationError("The query is not valid.", code="invalid_query", extra={"errors": errors}) from None


def query_to_json(query: AnalyticsQuery) -> dict[str, Any]:
    """What to store: the query as plain JSON (``query_from_json`` reads it back to an equal query)."""
    return query.model_dump(mode="json")


@dataclass(frozen=True)
class QueryResult:
    """``complete`` with ``result`` (the kind's typed output), or ``computing`` (queued in the worker: ask again)."""

    status: Literal["complete", "computing"]
    result: BaseModel | None = None
    cached: bool = False


def analytics_data_version(*, organisation_id: int, survey_id: int | None) -> str:
    """A token that changes whenever the responses of the survey (or, with ``None``, of the organisation) change.

    Every change to responses -- a submission, a deletion, a metric correction -- marks its days in the same
    transaction (``rollup_days_mark``), and the worker replaces those days' rollup rows with new ones when it
    refreshes them; ids only grow, so the highest pending mark and the highest rollup row together move on at
    each change. Publishing a version changes what "the latest version" means, so its id is part of it too.
    Three indexed MAX queries; nothing is written."""
    marks = RollupDirtyDay.objects.filter(survey__organisation_id=organisation_id)
    rollups = DailyRollup.objects.filter(organisation_id=organisation_id)
    if survey_id is not None:
        marks, rollups = marks.filter(survey_id=survey_id), rollups.filter(survey_id=survey_id)
    parts = (
        marks.aggregate(m=Max("id"))["m"],
        rollups.aggregate(m=Max("id"))["m"],
        version_id_latest(organisation_id=organisation_id, survey_id=survey_id),
    )
    return "-".join("0" if part is None else str(part) for part in parts)


def _scope(user: User) -> str:
    units = unit_ids_visible_to(user)
    return f"{user.organisation_id}:" + ("all" if units is None else ",".join(map(str, sorted(units))))


def query_cache_key(query: AnalyticsQuery, *, user: User) -> str:
    """Cache key of ``query`` for ``user``'s scope at the current data version, in the active language (results
    hold labels, such as theme and question names, in the language they were computed in)."""
    version = analytics_data_version(organisation_id=organisation_id_of(user), survey_id=query.survey_in_view())
    text = json.dumps(query_to_json(query), sort_keys=True)
    language = translation.get_language() or ""
    digest = hashlib.sha256(f"{RESULT_FORMAT}|{_scope(user)}|{version}|{language}|{text}".encode()).hexdigest()
    return f"heed:analytics:{query.kind}:{digest}"


def _check_scope(query: AnalyticsQuery, user: User) -> None:
    permissions.require(permissions.can_view_results(user))
    response_filters_check(user=user, filters=query.filters)


def _computed(runner: QueryRunner, query: AnalyticsQuery, user: User) -> dict[str, Any]:
    """The cache entry of a computation: the output as JSON, or the refusal (an ``ApplicationError``)."""
    try:
        return {"ok": True, "result": runner.run(query, user).model_dump(mode="json")}
    except ApplicationError as exc:
        return {"ok": False, "message": exc.message, "code": exc.code, "status": exc.status_code,
                "extra": exc.extra}  # fmt: skip


def _result(runner: QueryRunner, entry: dict[str, Any]) -> QueryResult:
    if not entry["ok"]:
        if entry["status"] == NotFoundError.status_code:
            raise NotFoundError(entry["message"])
        error = ApplicationError(entry["message"], code=entry["code"], extra=entry["extra"])
        error.status_code = entry["status"]
        raise error
    return QueryResult("complete", runner.output.model_validate(entry["result"]), cached=True)


_in_flight: dict[str, float] = {}
_in_flight_lock = threading.Lock()


def _queue_once(key: str, query: AnalyticsQuery, user: User) -> None:
    """Queue the computation unless this process queued it less than ``IN_FLIGHT_SECONDS`` ago (polls)."""
    from heed.analytics.tasks import analytics_query_run_task

    now = time.monotonic()
    with _in_flight_lock:
        if _in_flight.get(key, 0.0) > now:
            return
        _in_flight[key] = now + IN_FLIGHT_SECONDS
    analytics_query_run_task.delay(query_to_json(query), user.id, translation.get_language())


def run_query(query: AnalyticsQuery, *, user: User, background: bool = False) -> QueryResult:
    """Compute ``query`` for ``user`` (scoped to their organisation and units).

    Cheap kinds are computed at once. Expensive kinds come from the cache when computed at this data version;
    otherwise they are computed now (``background=False``: reports, exports, alert rules, the worker) or queued
    in the worker (``background=True``: pages and the API, which then show ``computing`` and ask again).
    Raises ``PermissionDenied`` (no results role), ``NotFoundError`` (a survey or unit outside the scope) and
    ``ApplicationError`` (the analysis refuses the data; also when served from the cache)."""
    runner = query_runner(query.kind)
    _check_scope(query, user)
    if not runner.expensive:
        return QueryResult("complete", runner.run(query, user))
    key = query_cache_key(query, user=user)
    entry = cache.get(key)
    if entry is None and background:
        _queue_once(key, query, user)
        entry = cache.get(key)  # eager tasks (tests, scripts) have already stored it
        if entry is None:
            return QueryResult("computing")
        return _result(runner, entry)
    if entry is None:
        entry = _computed(runner, query, user)
        cache.set(key, entry, CACHE_SECONDS)
        fresh = _result(runner, entry)
        return QueryResult("complete", fresh.result, cached=False)
    return _result(runner, entry)


def query_compute_and_store(query_json: dict[str, Any], *, user: User) -> str:
    """The worker's side of ``run_query(background=True)``: compute and cache one query. Returns its status."""
    query = query_from_json(query_json)
    runner = query_runner(query.kind)
    _check_scope(query, user)
    key = query_cache_key(query, user=user)
    entry = _computed(runner, query, user)
    cache.set(key, entry, CACHE_SECONDS)
    with _in_flight_lock:
        _in_flight.pop(key, None)
    return "complete" if entry["ok"] else "refused"
