"""Counting responses into quotas at submit: an ``in_transaction`` handler of ``heed.responses.handlers``.

The quota rows a batch matches are locked (``SELECT ... FOR UPDATE`` on PostgreSQL, in id order so two batches
never deadlock; SQLite serialises writers already) and their fill read under the lock (``Quota.filled``: the
``counted`` memberships of responses not rejected in review, kept here and recounted by
:func:`quota_fills_recount` when a review or a deletion changes what counts), so two simultaneous responses for the
last place cannot both be screened in (the race Formbricks' unlocked count allows), and a submission reads one
number instead of counting every member (ten milliseconds per batch once a quota held thousands). A response
beyond the target is stored all the same, with a ``screened_out_over_quota`` membership: not counted, listed as
overshoot, never discarded. A counted membership whose response a reviewer
rejects stops filling its quota (its place goes to the next response), and fills it again if the response is
approved again."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Count
from django.utils import timezone

from heed.core.bulk import rows_insert
from heed.core.compiled_query import CompiledLookup
from heed.fieldwork.models import Quota, QuotaMembership
from heed.fieldwork.quota_rules import quota_matches
from heed.responses.filter_spec import counted_through
from heed.responses.handlers import ResponsesDeleted, ResponsesReviewed, ResponsesStored

_SURVEY_QUOTAS = CompiledLookup(
    lambda survey_id: Quota.objects.filter(survey_id=survey_id).order_by("id"),
    chain=[Quota],
    path=[],
    stand_ins={"survey_id": -7_340_032_003},
)  # every submission of a survey reads its quotas: compiled once per connection (heed.core.compiled_query)


_outcomes: ContextVar[dict[int, str] | None] = ContextVar("fieldwork_quota_outcomes", default=None)


@contextmanager
def quota_outcomes_noted() -> Iterator[dict[int, str]]:
    """Within the block, the quota count notes what it decided for each response it stores into the dict it
    yields (response id -> ``over_quota`` or ``screened_in``, as ``selectors.quota_outcomes`` reads them back):
    the sync answers the device without reading the memberships it has just written."""
    noted: dict[int, str] = {}
    token = _outcomes.set(noted)
    try:
        yield noted
    finally:
        _outcomes.reset(token)


def quotas_count_stored(event: ResponsesStored) -> None:
    """Write one membership per (new response, quota it matches); see the module docstring."""
    noted = _outcomes.get()
    if noted is not None:
        noted.clear()  # a batch retried after a lost race: only this attempt's responses exist
    else:
        noted = {}
    survey_ids = {response.survey_id for response in event.responses}
    if len(survey_ids) == 1:
        quotas = _SURVEY_QUOTAS.all(survey_id=next(iter(survey_ids)))
    else:
        quotas = list(Quota.objects.filter(survey_id__in=survey_ids).order_by("id"))
    if not quotas:
        return
    matches = [
        (response, quota)
        for response in event.responses
        for quota in quotas
        if quota.survey_id == response.survey_id
        and quota_matches(
            conditions=quota.conditions, quota_unit_id=quota.unit_id, answers=response.answers, unit_id=response.unit_id
        )  # fmt: skip
    ]
    if not matches:
        return
    ids = sorted({quota.id for _response, quota in matches})
    # the rows locked (in id order) and their fill read under the lock: the count as the last writer left it
    filled: dict[int, int] = dict(
        Quota.objects.select_for_update().filter(id__in=ids).order_by("id").values_list("id", "filled")
    )
    before = dict(filled)
    rows = []
    now = timezone.now()
    for response, quota in matches:
        if filled.get(quota.id, 0) >= quota.target:
            rows.append((quota.id, response.id, QuotaMembership.Status.OVER_QUOTA.value, False, now))
            noted[response.id] = "over_quota"
            continue
        noted.setdefault(response.id, "screened_in")
        # screened out (not eligible) is never counted, not even by a quota counting interviews broken off
        counted = response.complete or (quota.count_partials and not response.screened_out)
        if counted:
            filled[quota.id] = filled.get(quota.id, 0) + 1
        rows.append((quota.id, response.id, QuotaMembership.Status.SCREENED_IN.value, counted, now))
    # Plain multi-row INSERT / COPY: bulk_create spent most of a 500-interview sync's quota count preparing values.
    rows_insert(QuotaMembership, ["quota_id", "response_id", "status", "counted", "created_at"], rows)
    for quota_id, count in filled.items():
        if count != before[quota_id]:
            Quota.objects.filter(id=quota_id).update(filled=count)


def quota_fills_recount(*, survey_ids: Iterable[int]) -> dict[int, int]:
    """Count again the fill of every quota of these surveys (counted memberships of responses not rejected in
    review), with their rows locked in id order as the submit path locks them, and store what changed. Returns
    quota id -> fill. For when what counts changed other than by a submission (a review, a deletion) and for
    reconciliation; one GROUP BY per call."""
    quota_ids = list(Quota.objects.select_for_update().filter(survey_id__in=set(survey_ids)).order_by("id")
                     .values_list("id", "filled"))  # fmt: skip
    if not quota_ids:
        return {}
    counted = dict(
        QuotaMembership.objects.filter(
            counted_through("response__"), quota_id__in=[i for i, _f in quota_ids], counted=True
        )  # fmt: skip
        .values("quota_id")
        .annotate(n=Count("id"))
        .values_list("quota_id", "n")
    )
    fills = {quota_id: counted.get(quota_id, 0) for quota_id, _filled in quota_ids}
    for quota_id, stored in quota_ids:
        if fills[quota_id] != stored:
            Quota.objects.filter(id=quota_id).update(filled=fills[quota_id])
    return fills


def quotas_recount_reviewed(event: ResponsesReviewed) -> None:
    """The ``in_transaction`` handler for reviews: a response moved into or out of ``rejected`` leaves or fills its
    quotas again (its place goes to the next response), so its surveys' quotas are counted again."""
    if event.counted_changed:
        quota_fills_recount(survey_ids={response.survey_id for response in event.responses})


def quotas_recount_deleted(event: ResponsesDeleted) -> None:
    """The ``in_transaction`` handler for deletions: the deleted responses' memberships went with them."""
    quota_fills_recount(survey_ids={response.survey_id for response in event.responses})
