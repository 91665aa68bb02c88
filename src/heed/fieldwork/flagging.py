"""Data-quality flags of interviews (contract 6), computed with the pure rules of ``heed.fieldwork_rules`` and
stored as :class:`~heed.fieldwork.models.Flag` rows. A flag never deletes, rejects or hides a response.

What is checked, for each interview that came through the sync (it has an ``InterviewRecord``), in the
background: the sync stores the record ``flags_pending`` and queues ``interview_flags_check_task`` after commit,
which runs :func:`pending_flags_check` (a lost task is found again by ``pending_flags_reconcile``); the device never
waits for the flags, which it is not sent:

* ``speeding`` (research b.4.10): a complete interview shorter than 0.5 x the median device duration of the
  comparable completes (same survey version; mode is always the intercept interview, the only one with records;
  finished: complete and not screened out, with a duration), from 30 of them; fewer gives ``speeding_status``
  ``insufficient_data`` on the record and no flag. A screened-out interview (a few screening questions, not
  eligible) or one broken off is never checked and never compared with: its ``speeding_status`` stays empty.
  A pending interview is compared with the :data:`SPEEDING_WINDOW` latest checked ones and the earlier pending
  ones; :func:`survey_flags_recompute` compares each with all the others (leave one out).
* ``straight_lining`` (b.4.11) on each *battery*: at least 5 questions in a row (definition order) of one
  rating type and one scale (same type, min and max: likert 1-5, csat 1-5, rating 1-10, ...).
* ``possible_duplicate`` (b.4.12): same survey, interviewer and unit, started within 10 minutes, >= 90 % closed
  answers equal and open-text similarity >= 90; both interviews are flagged, each naming the other's response.
  Interviews whose device sent no start time are not compared (the rule is about start times).
* ``out_of_area``, ``mock_location_suspected``, ``no_location`` (b.4.13) against the unit's ``Site`` when it
  has a location and radius (no site location: no GPS flag). A location that was denied, unavailable or not
  sent is ``no_location``.
* ``clock_skew`` and ``outside_hours`` (b.4.14) from the device times, the server's receive time and the
  site's opening hours in its time zone (no opening hours: no ``outside_hours``).
"""

from __future__ import annotations

import datetime as dt
import operator
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from functools import reduce
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q

from heed.core.bulk import instances_insert
from heed.fieldwork.models import Flag, InterviewRecord, Site
from heed.fieldwork_rules.duplicates import WINDOW, InterviewAnswers, find_possible_duplicates
from heed.fieldwork_rules.flags import Flag as FlagValue
from heed.fieldwork_rules.flags import FlagCode
from heed.fieldwork_rules.gps import Area, Fix, check_location
from heed.fieldwork_rules.hours import HoursError, WeeklyHours
from heed.fieldwork_rules.speeding import ComparableDurations, check_speeding_each
from heed.fieldwork_rules.straight_lining import MIN_BATTERY_ITEMS, check_straight_lining
from heed.fieldwork_rules.timing import NegativeDurationError, OpeningHours, check_times
from heed.responses.selectors import response_answers
from heed.surveys.definition import SCALE_TYPES
from heed.surveys.selectors import version_definition
from heed.surveys.services import survey_lock_no_key

if TYPE_CHECKING:
    from heed.surveys.definition import SurveyDefinition
    from heed.surveys.models import Survey, SurveyVersion

SPEEDING_WINDOW = 5000  # checked comparable completes read per run: the latest ones (bounded work per run)
OPEN_TYPES = {"text"}


def batteries(definition: SurveyDefinition) -> list[list[str]]:
    """The question keys of each battery: runs of at least 5 consecutive rating questions of one type and
    scale (min, max), in definition order."""
    runs: list[list[str]] = []
    current: list[str] = []
    scale: tuple[str, float | None, float | None] | None = None
    for question in definition.questions:
        this = (question.type, question.min, question.max) if question.type in SCALE_TYPES else None
        if this is not None and this == scale:
            current.append(question.key)
            continue
        if len(current) >= MIN_BATTERY_ITEMS:
            runs.append(current)
        current, scale = ([question.key], this) if this is not None else ([], None)
    if len(current) >= MIN_BATTERY_ITEMS:
        runs.append(current)
    return runs


class _Context:
    """Definitions, batteries and sites looked up once per run."""

    def __init__(self, versions: Mapping[int, SurveyVersion], unit_ids: Iterable[int | None]) -> None:
        self.versions = versions
        self._definitions: dict[int, SurveyDefinition] = {}
        self._batteries: dict[int, list[list[str]]] = {}
        self.sites = {site.unit_id: site for site in Site.objects.filter(unit_id__in={u for u in unit_ids if u})}

    def definition(self, version_id: int) -> SurveyDefinition:
        if version_id not in self._definitions:
            self._definitions[version_id] = version_definition(self.versions[version_id])
        return self._definitions[version_id]

    def batteries(self, version_id: int) -> list[list[str]]:
        if version_id not in self._batteries:
            self._batteries[version_id] = batteries(self.definition(version_id))
        return self._batteries[version_id]

    def open_keys(self, version_id: int) -> set[str]:
        return {q.key for q in self.definition(version_id).questions if q.type in OPEN_TYPES}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _opening(site: Site) -> OpeningHours | None:
    if not site.opening_hours:
        return None
    try:
        return OpeningHours(WeeklyHours.parse(site.opening_hours), zoneinfo.ZoneInfo(site.time_zone))
    except (HoursError, zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # site_set refuses these; never 500 here
        return None


def _record_flags(record: InterviewRecord, answers: Mapping[str, Any], context: _Context) -> list[FlagValue]:
    """Straight-lining, GPS and time flags of one interview (no other interview needed)."""
    found: list[FlagValue] = []
    for battery in context.batteries(record.version_id):
        check = check_straight_lining([_number(answers.get(key)) for key in battery])
        if check.flag is not None:
            found.append(FlagValue(check.flag.code, {**check.flag.detail, "questions": ", ".join(battery)}))
    site = context.sites.get(record.unit_id) if record.unit_id else None
    if site is not None and None not in (site.latitude, site.longitude, site.radius_m):
        area = Area(site.latitude, site.longitude, site.radius_m)  # type: ignore[arg-type]
        fix = None
        if record.location_status == InterviewRecord.LocationStatus.OK and record.latitude is not None:
            fix = Fix(record.latitude, record.longitude, record.accuracy_m)  # type: ignore[arg-type]
        for flag in check_location(fix, area).flags:
            detail = dict(flag.detail)
            if flag.code is FlagCode.NO_LOCATION:
                detail["status"] = record.location_status
            found.append(FlagValue(flag.code, detail))
    started = record.started_at or record.ended_at
    # without a device end, ended_at is the receive time, which a device clock ahead puts before the start
    ended = record.ended_at if record.duration_seconds is not None else max(record.ended_at, started)
    with suppress(NegativeDurationError):  # refused at sync (422); such a record is left unflagged
        found += check_times(started_at=started, ended_at=ended, received_at=record.received_at,
                             opening=_opening(site) if site is not None else None)  # fmt: skip
    return found


def _interview_answers(record: InterviewRecord, answers: Mapping[str, Any], context: _Context) -> InterviewAnswers:
    open_keys = context.open_keys(record.version_id)
    assert record.started_at is not None  # the callers compare only interviews with a device start
    return InterviewAnswers(
        interview_id=str(record.response_id), interviewer_id=str(record.interviewer_id), unit_id=str(record.unit_id),
        started_at=record.started_at,
        closed={k: v for k, v in answers.items() if k not in open_keys},
        open_text={k: str(v) for k, v in answers.items() if k in open_keys},
    )  # fmt: skip


def _duplicate_rows(
    records: Sequence[InterviewRecord], answers: Mapping[int, Mapping[str, Any]], context: _Context, *,
    only_with: set[int] | None,
) -> list[tuple[InterviewRecord, FlagValue]]:  # fmt: skip
    """``possible_duplicate`` flags among ``records`` (pairs with a member in ``only_with`` when given)."""
    by_id = {record.response_id: record for record in records}
    interviews = [_interview_answers(r, answers.get(r.response_id, {}), context) for r in records
                  if r.unit_id and r.started_at is not None]  # fmt: skip
    rows = []
    for pair in find_possible_duplicates(interviews):
        ids = {int(pair.first_id), int(pair.second_id)}
        if only_with is not None and not ids & only_with:
            continue
        for interview_id, flag in pair.flags().items():
            detail = dict(flag.detail)
            detail["other_response_id"] = int(str(detail.pop("other_interview_id")))
            rows.append((by_id[int(interview_id)], FlagValue(flag.code, detail)))
    return rows


def _flag_row(record: InterviewRecord, flag: FlagValue) -> Flag:
    return Flag(response_id=record.response_id, organisation_id=record.organisation_id, survey_id=record.survey_id,
                code=flag.code.value, detail=dict(flag.detail))  # fmt: skip


def _speeding_comparable(record: InterviewRecord) -> bool:
    """Whether speeding checks the interview and compares others with it: finished (complete, not screened out)
    with a duration (module doc)."""
    return record.complete and not record.screened_out and record.duration_seconds is not None


def _speeding_of_pending(records: Sequence[InterviewRecord]) -> list[tuple[InterviewRecord, FlagValue]]:
    """Set ``speeding_status`` on the pending ``records`` (in id order) against the checked comparable completes
    of their version (the :data:`SPEEDING_WINDOW` latest) and the earlier pending ones (module doc)."""
    rows = []
    comparables: dict[int, ComparableDurations] = {}
    for record in records:
        if not _speeding_comparable(record) or record.duration_seconds is None:  # (the second for the type checker)
            continue
        if record.version_id not in comparables:
            comparables[record.version_id] = ComparableDurations(
                d or 0.0 for d in InterviewRecord.objects.filter(
                    version_id=record.version_id, complete=True, screened_out=False, duration_seconds__isnull=False,
                    flags_pending=False,
                ).order_by("-id").values_list("duration_seconds", flat=True)[:SPEEDING_WINDOW]
            )  # fmt: skip
        others = comparables[record.version_id]
        check = others.check(record.duration_seconds)
        record.speeding_status = check.status.value
        if check.flag is not None:
            rows.append((record, check.flag))
        others.add(record.duration_seconds)
    return rows


PENDING_PER_RUN = 5000  # pending records checked per transaction (a long backlog goes in several)


class _ChangedMeanwhile(Exception):
    """Another run (or a full recompute) checked some of the records first: read again."""


def pending_flags_check(*, survey_id: int) -> int:
    """Compute the flags of survey ``survey_id``'s records still ``flags_pending`` (stored by a sync since the last
    run), oldest first, :data:`PENDING_PER_RUN` at a time; the background work queued after each sync
    (``interview_flags_check_task``) and found again by ``pending_flags_reconcile``. Speeding compares each with
    the checked completes of its version and the earlier pending ones; possible duplicates pair them with each other
    and with the checked interviews of the survey near in time (a pair with a record that is still pending is found
    when that one is checked). The flags are computed outside any transaction and written in a short one that
    takes the survey's lock (after a full recompute or before it, never beside it) and clears the records' mark
    only if it is still set (else it reads again). Idempotent. Returns the number of flags stored."""
    stored = 0
    while True:
        records = list(InterviewRecord.objects.filter(survey_id=survey_id, flags_pending=True)
                       .select_related("version").defer("audit").order_by("id")[:PENDING_PER_RUN])  # fmt: skip
        if not records:
            return stored
        try:
            stored += _check_pending(survey_id, records)
        except _ChangedMeanwhile:
            continue


def _check_pending(survey_id: int, records: list[InterviewRecord]) -> int:
    answers = response_answers(response_ids=[r.response_id for r in records])
    context = _Context({r.version_id: r.version for r in records}, (r.unit_id for r in records))
    rows = _speeding_of_pending(records)
    for record in records:
        rows += [(record, flag) for flag in _record_flags(record, answers.get(record.response_id, {}), context)]
    rows += _new_duplicates(survey_id, records, answers, context)
    by_status: dict[str, list[int]] = defaultdict(list)
    for record in records:
        by_status[record.speeding_status].append(record.id)
    with transaction.atomic():
        survey_lock_no_key(survey_id=survey_id)
        for status, ids in by_status.items():
            for first in range(0, len(ids), 500):
                chunk = ids[first : first + 500]
                done = InterviewRecord.objects.filter(id__in=chunk, flags_pending=True).update(
                    flags_pending=False, speeding_status=status
                )
                if done != len(chunk):
                    raise _ChangedMeanwhile  # rolls the marks back
        instances_insert([_flag_row(record, flag) for record, flag in rows])
    return len(rows)


def _new_duplicates(
    survey_id: int, records: Sequence[InterviewRecord], answers: Mapping[int, Mapping[str, Any]], context: _Context
) -> list[tuple[InterviewRecord, FlagValue]]:
    """Possible duplicates of the pending ``records`` among themselves and the checked interviews of the survey by
    the same interviewer and unit that started within 10 minutes of one of them (read by the stretches of time
    around the pending ones, :func:`_near_times`, not everything between the first and last start)."""
    moments: dict[tuple[int, int], list[dt.datetime]] = defaultdict(list)
    for record in records:
        if record.unit_id is not None and record.started_at is not None:
            moments[(record.interviewer_id, record.unit_id)].append(record.started_at)
    terms = [Q(interviewer_id=interviewer_id, unit_id=unit_id, started_at__gte=low, started_at__lte=high)
             for (interviewer_id, unit_id), times in moments.items() for low, high in _near_times(times)]  # fmt: skip
    if not terms:
        return []
    new_ids = {record.response_id for record in records}
    earlier: list[InterviewRecord] = []
    for first in range(0, len(terms), NEAR_TERMS_PER_QUERY):
        near = reduce(operator.or_, terms[first : first + NEAR_TERMS_PER_QUERY])
        earlier += (
            InterviewRecord.objects.filter(near, survey_id=survey_id, flags_pending=False)
            .select_related("version")
            .defer("audit")
        )
    if not earlier:
        candidates: list[InterviewRecord] = list(records)
        all_answers = answers
    else:
        context.versions = {**context.versions, **{r.version_id: r.version for r in earlier}}
        candidates = [*records, *earlier]
        all_answers = {**response_answers(response_ids=[r.response_id for r in earlier]), **answers}
    return _duplicate_rows(candidates, all_answers, context, only_with=new_ids)


NEAR_TERMS_PER_QUERY = 100  # stretches of time per query (SQLite parses a chain of ORs as a tree of that depth)


def _near_times(moments: Iterable[dt.datetime]) -> list[tuple[dt.datetime, dt.datetime]]:
    """The stretches of time within ``WINDOW`` of any of ``moments``, overlapping ones merged, in order:
    [t1, t2, t3] with t2 - t1 <= 2 x WINDOW and t3 far later gives [(t1 - W, t2 + W), (t3 - W, t3 + W)]."""
    stretches: list[tuple[dt.datetime, dt.datetime]] = []
    for moment in sorted(moments):
        if stretches and moment - WINDOW <= stretches[-1][1]:
            stretches[-1] = (stretches[-1][0], moment + WINDOW)
        else:
            stretches.append((moment - WINDOW, moment + WINDOW))
    return stretches


def survey_flags_recompute(*, survey: Survey) -> int:
    """Recompute every flag and speeding status of ``survey``'s interviews from the stored records, answers and
    sites (after a site changed, or to compare each interview with all the others for speeding). Replaces the
    survey's flags only; responses are never touched. Returns the number of flags stored."""
    return survey_id_flags_recompute(survey_id=survey.id)


@transaction.atomic
def survey_id_flags_recompute(*, survey_id: int) -> int:
    """:func:`survey_flags_recompute` by the survey's id; the records it read are no longer pending. Runs one at a
    time per survey (and never beside :func:`pending_flags_check`'s writing) (a ``FOR NO KEY UPDATE``
    lock on its row, ``surveys.services.survey_lock_no_key``), so two recomputations never add up their flags."""
    survey_lock_no_key(survey_id=survey_id)
    records = list(InterviewRecord.objects.filter(survey_id=survey_id).select_related("version").defer("audit")
                   .order_by("id"))  # fmt: skip
    Flag.objects.filter(survey_id=survey_id).delete()
    if not records:
        return 0
    context = _Context({r.version_id: r.version for r in records}, (r.unit_id for r in records))
    answers = response_answers(response_ids=[r.response_id for r in records])
    rows: list[tuple[InterviewRecord, FlagValue]] = []
    by_version: dict[int, list[InterviewRecord]] = defaultdict(list)
    for record in records:
        record.speeding_status, record.flags_pending = "", False
        if _speeding_comparable(record):
            by_version[record.version_id].append(record)
    for group in by_version.values():
        for record, check in zip(group, check_speeding_each([r.duration_seconds or 0.0 for r in group]), strict=True):
            record.speeding_status = check.status.value
            if check.flag is not None:
                rows.append((record, check.flag))
    InterviewRecord.objects.bulk_update(records, ["speeding_status", "flags_pending"], batch_size=500)
    for record in records:
        rows += [(record, flag) for flag in _record_flags(record, answers.get(record.response_id, {}), context)]
    rows += _duplicate_rows(records, answers, context, only_with=None)
    Flag.objects.bulk_create([_flag_row(record, flag) for record, flag in rows], batch_size=500)
    return len(rows)
