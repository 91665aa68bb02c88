"""Writes for fieldwork: devices seen at sync, assignments (create, reassign part of a quantity), quotas, sites
(a unit's location and opening hours) and the recomputation of data-quality flags.

The sync itself (interviews through the one ingestion path) is ``heed.fieldwork.sync.interviews_sync``."""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from heed.accounts.selectors import organisation_id_of, unit_ids_visible_to
from heed.core.errors import ApplicationError
from heed.fieldwork.flagging import pending_flags_check, survey_flags_recompute, survey_id_flags_recompute
from heed.fieldwork.models import Assignment, Device, InterviewRecord, Quota, Site, SurveyFlagsStale
from heed.fieldwork.selectors import assignment_progress
from heed.fieldwork.texts import hours_error_text
from heed.fieldwork_rules.hours import HoursError, WeeklyHours
from heed.surveys.definition import SCALE_TYPES
from heed.surveys.selectors import survey_latest_version, version_definition

if TYPE_CHECKING:
    import uuid

    from heed.accounts.models import Unit, User
    from heed.surveys.definition import QuestionDef
    from heed.surveys.models import Survey

QUOTA_CONDITIONS_MAX = 20
QUOTA_VALUES_MAX = 100


def device_sync_record(
    *,
    interviewer: User,
    device_id: uuid.UUID,
    app_version: str,
    unsent_count: int,
    oldest_unsent_at: dt.datetime | None,
    now: dt.datetime | None = None,
) -> Device:
    """Record that ``device_id`` synced now for ``interviewer`` (first sync creates it; a device handed to
    another interviewer follows them), with its app version and what it still holds unsent."""
    now = now or timezone.now()
    fields = {"interviewer": interviewer, "app_version": app_version[:40], "last_sync_at": now,
              "unsent_count": unsent_count, "oldest_unsent_at": oldest_unsent_at if unsent_count else None}  # fmt: skip
    organisation_id = organisation_id_of(interviewer)
    for _attempt in range(3):
        updated = Device.objects.filter(organisation_id=organisation_id, device_id=device_id).update(**fields)
        if updated:
            return Device.objects.get(organisation_id=organisation_id, device_id=device_id)
        try:
            with transaction.atomic():
                return Device.objects.create(organisation_id=organisation_id, device_id=device_id,
                                             first_sync_at=now, **fields)  # fmt: skip
        except IntegrityError:  # another request of the same device created it first: update that one
            continue
    raise AssertionError("unreachable: the device row exists after a failed create")


def _check_same_organisation(organisation_id: int, *objects: object) -> None:
    for obj in objects:
        if getattr(obj, "organisation_id", organisation_id) != organisation_id:
            raise ApplicationError(gettext("Survey, unit and interviewer must belong to your organisation."),
                                   code="invalid_assignment")  # fmt: skip


def _check_window(starts_at: dt.datetime | None, ends_at: dt.datetime | None) -> None:
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        raise ApplicationError(gettext("The shift must end after it starts."), code="invalid_window")


def _check_interviewer(interviewer: User, unit: Unit) -> None:
    if interviewer.role != "interviewer" or not interviewer.is_active:
        raise ApplicationError(gettext("Assign surveys to active interviewers only."), code="invalid_assignment")
    visible = unit_ids_visible_to(interviewer)
    if visible is not None and unit.id not in visible:
        message = gettext("%(who)s does not work at %(unit)s: add the unit to their units first.")
        raise ApplicationError(message % {"who": interviewer.username, "unit": unit.name}, code="unit_outside_scope")


def assignment_create(
    *,
    actor: User | None,
    survey: Survey,
    unit: Unit,
    interviewer: User,
    quantity: int | None = None,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    reassigned_from: Assignment | None = None,
) -> Assignment:
    """Assign ``survey`` at ``unit`` to ``interviewer``, optionally for a shift [starts_at, ends_at) and a
    target ``quantity``. Raises ApplicationError when they are of another organisation, the user is not an
    active interviewer working at the unit, or the window is empty."""
    _check_same_organisation(survey.organisation_id, unit, interviewer)
    _check_window(starts_at, ends_at)
    _check_interviewer(interviewer, unit)
    if quantity is not None and quantity < 1:
        raise ApplicationError(gettext("The quantity is at least 1 (leave it empty for no target)."),
                               code="invalid_quantity")  # fmt: skip
    return Assignment.objects.create(
        organisation_id=survey.organisation_id, survey=survey, unit=unit, interviewer=interviewer,
        quantity=quantity, starts_at=starts_at, ends_at=ends_at, created_by=actor, reassigned_from=reassigned_from,
    )  # fmt: skip


@transaction.atomic
def assignment_reassign(*, actor: User | None, assignment: Assignment, interviewer: User, quantity: int) -> Assignment:
    """Move ``quantity`` interviews of ``assignment`` (those not done yet) to ``interviewer``: the assignment's
    quantity drops by that much, and a new assignment of the same survey, unit and shift holds it. Interviews the
    first interviewer already started on the device are still accepted (they remain assigned to the unit).
    Raises ApplicationError when more than the remaining quantity is moved or the assignment has no quantity."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.quantity is None:
        raise ApplicationError(gettext("Only an assignment with a quantity can be split."), code="invalid_quantity")
    remaining = locked.quantity - assignment_progress(locked)
    if not 1 <= quantity <= remaining:
        message = gettext("Between 1 and %(most)s interviews can be reassigned.")
        raise ApplicationError(message % {"most": max(remaining, 0)}, code="invalid_quantity")
    if interviewer.pk == locked.interviewer_id:
        raise ApplicationError(gettext("Reassign to another interviewer."), code="invalid_assignment")
    created = assignment_create(actor=actor, survey=locked.survey, unit=locked.unit, interviewer=interviewer,
                                quantity=quantity, starts_at=locked.starts_at, ends_at=locked.ends_at,
                                reassigned_from=locked)  # fmt: skip
    locked.quantity -= quantity
    locked.save(update_fields=["quantity"])
    assignment.quantity = locked.quantity
    return created


def _check_values(question: QuestionDef, values: list[str]) -> None:
    """Refuse values an answer to ``question`` can never take: not an option of a choice question, not a whole
    point of a rating scale's range (a quota with them could never fill)."""
    if question.options and question.type != "nps":
        allowed = [option.value for option in question.options]
        unknown = [value for value in values if value not in allowed]
        if unknown:
            raise ApplicationError(gettext("The question '%(key)s' has no answer '%(value)s': use one of %(allowed)s.")
                                   % {"key": question.key, "value": unknown[0], "allowed": ", ".join(allowed)},
                                   code="invalid_quota")  # fmt: skip
    elif question.type in SCALE_TYPES and question.min is not None and question.max is not None:
        points = [str(point) for point in range(math.ceil(question.min), math.floor(question.max) + 1)]
        outside = [value for value in values if value not in points]
        if outside:
            raise ApplicationError(gettext("The question '%(key)s' takes whole numbers from %(min)s to %(max)s, "
                                           "not '%(value)s'.")
                                   % {"key": question.key, "value": outside[0], "min": points[0], "max": points[-1]},
                                   code="invalid_quota")  # fmt: skip


def _clean_conditions(survey: Survey, conditions: Mapping[str, Sequence[object]]) -> dict[str, list[str]]:
    version = survey_latest_version(survey=survey)
    questions = {q.key: q for q in version_definition(version).questions} if version is not None else {}
    if len(conditions) > QUOTA_CONDITIONS_MAX:
        raise ApplicationError(gettext("A quota has at most %(most)s conditions.") % {"most": QUOTA_CONDITIONS_MAX},
                               code="invalid_quota")  # fmt: skip
    cleaned: dict[str, list[str]] = {}
    for key, values in conditions.items():
        if key not in questions:
            raise ApplicationError(gettext("The survey has no question '%(key)s'.") % {"key": key},
                                   code="invalid_quota")  # fmt: skip
        listed = [str(value) for value in values]
        if not 1 <= len(listed) <= QUOTA_VALUES_MAX or any(not value or len(value) > 100 for value in listed):
            raise ApplicationError(gettext("Give 1 to %(most)s values for '%(key)s'.")
                                   % {"most": QUOTA_VALUES_MAX, "key": key}, code="invalid_quota")  # fmt: skip
        _check_values(questions[key], listed)
        cleaned[key] = listed
    return cleaned


def quota_create(
    *,
    survey: Survey,
    name: str,
    target: int,
    conditions: Mapping[str, Sequence[object]],
    unit: Unit | None = None,
    count_partials: bool = False,
) -> Quota:
    """A quota of ``target`` responses to ``survey`` matching every condition (question key -> accepted values;
    keys of the survey's latest version) and, if given, taken at ``unit``. Raises ApplicationError ``invalid_quota``
    (in the reader's language) for an unknown question, a value that is not an option of a choice question or not
    a whole point of a rating scale (such a quota could never fill), or a bad target or name."""
    if not 1 <= target <= 1_000_000:
        raise ApplicationError(gettext("The target is between 1 and 1,000,000."), code="invalid_quota")
    if not name.strip() or len(name) > 120:
        raise ApplicationError(gettext("Give the quota a name of at most 120 characters."), code="invalid_quota")
    _check_same_organisation(survey.organisation_id, *([unit] if unit is not None else []))
    return Quota.objects.create(organisation_id=survey.organisation_id, survey=survey, name=name.strip(),
                                unit=unit, conditions=_clean_conditions(survey, conditions), target=target,
                                count_partials=count_partials)  # fmt: skip


SITE_RADIUS_MAX_M = 100_000


def _site_area(latitude: float | None, longitude: float | None, radius_m: float | None) -> None:
    given = [value is not None for value in (latitude, longitude, radius_m)]
    if any(given) and not all(given):
        raise ApplicationError(gettext("Give latitude, longitude and radius together (or none of them)."),
                               code="invalid_site")  # fmt: skip
    if not all(given):
        return
    assert latitude is not None and longitude is not None and radius_m is not None
    if not (math.isfinite(latitude) and -90 <= latitude <= 90):
        raise ApplicationError(gettext("The latitude lies between -90 and 90 degrees."), code="invalid_site")
    if not (math.isfinite(longitude) and -180 <= longitude <= 180):
        raise ApplicationError(gettext("The longitude lies between -180 and 180 degrees."), code="invalid_site")
    if not (math.isfinite(radius_m) and 0 < radius_m <= SITE_RADIUS_MAX_M):
        message = gettext("The radius is more than 0 and at most %(most)s metres.")
        raise ApplicationError(message % {"most": SITE_RADIUS_MAX_M}, code="invalid_site")


def _site_hours(opening_hours: Mapping[str, object]) -> dict[str, str | list[str]]:
    cleaned: dict[str, str | list[str]] = {}
    for key, value in opening_hours.items():
        if isinstance(value, str):
            cleaned[str(key)] = value
        elif isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
            cleaned[str(key)] = list(value)
        else:
            raise ApplicationError(gettext("Opening hours of '%(days)s' must be like 09:00-20:30.") % {"days": key},
                                   code="invalid_site")  # fmt: skip
    try:
        WeeklyHours.parse(cleaned)
    except HoursError as exc:
        raise ApplicationError(gettext("Opening hours: %(problem)s") % {"problem": hours_error_text(exc)},
                               code="invalid_site") from None  # fmt: skip
    return cleaned


@transaction.atomic
def site_set(
    *,
    actor: User | None,
    unit: Unit,
    latitude: float | None,
    longitude: float | None,
    radius_m: float | None,
    time_zone: str,
    opening_hours: Mapping[str, object],
) -> Site:
    """Set where ``unit`` is (WGS84 degrees, a radius in metres; all three or none) and when it opens
    (``opening_hours`` in ``WeeklyHours.parse`` format, e.g. ``{"mon-fri": "09:00-20:30", "sat": "10:00-14:00"}``;
    empty: not checked) in ``time_zone`` (IANA name, e.g. ``Europe/Zagreb``). Creates or replaces the unit's
    site (contract 5). The flags of the unit's interviews are recomputed in the background: the site is marked
    ``flags_stale_since`` now in this transaction, and ``site_flags_recompute_task`` is queued after commit (the
    caller never waits for it; a lost task is found again by ``site_flags_reconcile``). Raises ApplicationError
    ``invalid_site`` with a message in plain words, or when ``actor`` is of another organisation."""
    if actor is not None and organisation_id_of(actor) != unit.organisation_id:
        raise ApplicationError(gettext("The unit belongs to another organisation."), code="invalid_site")
    _site_area(latitude, longitude, radius_m)
    if not time_zone or len(time_zone) > 64:
        raise ApplicationError(gettext("Give a time zone such as Europe/Zagreb."), code="invalid_site")
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ApplicationError(gettext("Unknown time zone '%(zone)s': write one such as Europe/Zagreb.")
                               % {"zone": time_zone[:64]},
                               code="invalid_site") from None  # fmt: skip
    site, _created = Site.objects.update_or_create(
        unit=unit,
        defaults={"organisation_id": unit.organisation_id, "latitude": latitude, "longitude": longitude,
                  "radius_m": radius_m, "time_zone": time_zone, "opening_hours": _site_hours(opening_hours),
                  "updated_by": actor, "flags_stale_since": timezone.now()},
    )  # fmt: skip
    from heed.fieldwork.tasks import site_flags_recompute_task  # the tasks module calls these services

    site_id = site.id
    transaction.on_commit(lambda: site_flags_recompute_task.delay(site_id))
    return site


def site_flags_recompute(*, site_id: int) -> int:
    """Recompute the flags of every survey with an interview at the unit of site ``site_id``
    (``flags_recompute``: GPS and opening-hours flags read the site, and a survey's flags are recomputed together),
    if the site is still marked ``flags_stale_since``; then clear the mark unless the site changed again meanwhile
    (that change's own run, or the reconciliation, recomputes once more). Each survey in its own transaction, so a
    worker that dies leaves the mark for ``site_flags_reconcile``. Returns the number of flags stored (0 for an
    unknown or unmarked site)."""
    marked = Site.objects.filter(pk=site_id).values_list("unit_id", "flags_stale_since").first()
    if marked is None or marked[1] is None:
        return 0
    unit_id, since = marked
    survey_ids = sorted(set(InterviewRecord.objects.filter(unit_id=unit_id).values_list("survey_id", flat=True)))
    stored = sum(survey_id_flags_recompute(survey_id=survey_id) for survey_id in survey_ids)
    Site.objects.filter(pk=site_id, flags_stale_since=since).update(flags_stale_since=None)
    return stored


SITE_FLAGS_GRACE = dt.timedelta(minutes=5)  # the task queued by site_set normally runs within seconds


def site_flags_reconcile(*, now: dt.datetime | None = None) -> int:
    """Periodic (``site_flags_reconcile_task``, every ``HEED_RECONCILE_SECONDS``): recompute the flags of the
    sites still marked ``flags_stale_since`` more than ``SITE_FLAGS_GRACE`` ago (their task was lost: a worker
    killed, a message lost), oldest first. Returns how many sites were recomputed."""
    cutoff = (now or timezone.now()) - SITE_FLAGS_GRACE
    stale = list(Site.objects.filter(flags_stale_since__lt=cutoff).order_by("flags_stale_since", "id")
                 .values_list("id", flat=True))  # fmt: skip
    for site_id in stale:
        site_flags_recompute(site_id=site_id)
    return len(stale)


@transaction.atomic
def survey_flags_recompute_request(*, actor: User | None, survey: Survey) -> SurveyFlagsStale:
    """Ask for every flag of ``survey`` to be recomputed in the background (the supervision page's button; the
    work is ``flags_recompute``, too long for a request): marks the survey (``SurveyFlagsStale.since`` = now, a
    mark already there is moved to now) in this transaction and queues ``survey_flags_recompute_task`` after
    commit; the caller never waits for it, and a lost task is found again by ``survey_flags_reconcile``. Returns
    the mark. Raises ApplicationError when ``actor`` is of another organisation."""
    if actor is not None and organisation_id_of(actor) != survey.organisation_id:
        raise ApplicationError(gettext("The survey belongs to another organisation."), code="invalid_survey")
    mark, _created = SurveyFlagsStale.objects.update_or_create(
        survey=survey,
        defaults={"organisation_id": survey.organisation_id, "since": timezone.now(), "requested_by": actor},
    )
    from heed.fieldwork.tasks import survey_flags_recompute_task  # the tasks module calls these services

    survey_id = survey.id
    transaction.on_commit(lambda: survey_flags_recompute_task.delay(survey_id))
    return mark


def survey_flags_recompute_marked(*, survey_id: int) -> int:
    """Recompute the flags of survey ``survey_id`` (``survey_id_flags_recompute``) if it is still marked
    (``SurveyFlagsStale``), then delete the mark unless it was moved meanwhile (that request's own run, or the
    reconciliation, recomputes once more). Returns the number of flags stored (0 for an unmarked survey)."""
    since = SurveyFlagsStale.objects.filter(survey_id=survey_id).values_list("since", flat=True).first()
    if since is None:
        return 0
    stored = survey_id_flags_recompute(survey_id=survey_id)
    SurveyFlagsStale.objects.filter(survey_id=survey_id, since=since).delete()
    return stored


def survey_flags_reconcile(*, now: dt.datetime | None = None) -> int:
    """Periodic (``survey_flags_reconcile_task``, every ``HEED_RECONCILE_SECONDS``): recompute the flags of the
    surveys still marked more than ``SITE_FLAGS_GRACE`` ago (their task was lost), oldest first. Returns how
    many surveys were recomputed."""
    cutoff = (now or timezone.now()) - SITE_FLAGS_GRACE
    stale = list(SurveyFlagsStale.objects.filter(since__lt=cutoff).order_by("since", "survey_id")
                 .values_list("survey_id", flat=True))  # fmt: skip
    for survey_id in stale:
        survey_flags_recompute_marked(survey_id=survey_id)
    return len(stale)


PENDING_FLAGS_GRACE = dt.timedelta(minutes=2)  # the check queued after a sync normally runs within seconds


def pending_flags_reconcile(*, now: dt.datetime | None = None) -> int:
    """Periodic (``pending_flags_reconcile_task``, every ``HEED_RECONCILE_SECONDS``): check the flags of the
    surveys with interviews still ``flags_pending`` more than ``PENDING_FLAGS_GRACE`` after they were received
    (the check queued after their sync was lost: a worker killed, a message lost). Returns how many surveys were
    checked."""
    cutoff = (now or timezone.now()) - PENDING_FLAGS_GRACE
    survey_ids = sorted(set(InterviewRecord.objects.filter(flags_pending=True, received_at__lt=cutoff)
                            .values_list("survey_id", flat=True)))  # fmt: skip
    for survey_id in survey_ids:
        pending_flags_check(survey_id=survey_id)
    return len(survey_ids)


def flags_recompute(*, survey: Survey) -> int:
    """Recompute the data-quality flags of ``survey``'s interviews now (contract 6; see
    ``heed.fieldwork.flagging``): speeding compares each complete interview with all the others of its version,
    GPS and hours use the current sites. Responses are never touched. Returns how many flags are stored now.
    Long for a large survey: pages ask for it with ``survey_flags_recompute_request`` (in the background)."""
    return survey_flags_recompute(survey=survey)
