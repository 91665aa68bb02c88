"""The demo's fieldwork: intercept interviewers with devices, assignments, quotas and a few days of interviews.

Two interviewers work with the offline app: ``interviewer.hr`` in Zagreb (two stores, Croatian and English)
and ``interviewer.ee`` in Tallinn (Estonian and Russian). Their interviews of the store-intercept survey come in
through :func:`heed.fieldwork.sync.interviews_sync`, the one ingestion path the devices use, one sync per
interviewer and day, each interview with a realistic ``location`` and ODK-style ``audit`` trail (contract 1 of
the fieldwork work: stored once the server keeps them, ignored until then).

Most interviews are ordinary (about five minutes, at the store, in store hours). A few are made for the
supervision flags to find (``FLAGGED`` names them): three very short interviews against a median of ~300 s,
one that answers the whole satisfaction battery with the same point, one taken 13 km from the store, a pair
of near-duplicates four minutes apart, and one whose device clock runs 40 minutes ahead (its audit times; the
interview itself carries no device times, which the server would refuse as lying in the future). Three
visitors are screened out (under 18, or not in the store today). The quota of young women at Zagreb Centar
fills up and overshoots; the other quotas stay open. The Tallinn device still holds two interviews it has not
sent for 30 hours (the "unsent older than 24 h" warning).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from heed.fieldwork import services as fieldwork_services
from heed.fieldwork.flagging import pending_flags_check
from heed.fieldwork.services import assignment_create, quota_create
from heed.fieldwork.sync import Interview, interviews_sync
from heed.surveys.conditions import visible_keys
from heed.surveys.templates_library import HOME_AREAS, HOUSEHOLD_SIZES, WHY_NOT_VALUES

if TYPE_CHECKING:
    from heed.accounts.models import Unit, User
    from heed.surveys.models import SurveyVersion

APP_VERSION = "demo-1"
BATTERY = ("store_experience", "store_tidiness", "merchandise", "staff_behaviour", "staff_professionalism")
MEDIAN_SECONDS = 300
FIELDWORK_SEED = 2026


@dataclass(frozen=True)
class Place:
    """A store the demo interviews at: where it is (for the GPS flags), its zone and languages."""

    code: str
    latitude: float
    longitude: float
    time_zone: str
    languages: tuple[str, str]  # (main, second)
    second_share: float


PLACES = {
    "HR-01": Place("HR-01", 45.81313, 15.97753, "Europe/Zagreb", ("hr", "en"), 0.3),  # Zagreb Centar
    "HR-02": Place("HR-02", 45.77145, 15.94312, "Europe/Zagreb", ("hr", "en"), 0.2),  # Zagreb Arena
    "EE-01": Place("EE-01", 59.43696, 24.75353, "Europe/Tallinn", ("et", "ru"), 0.35),  # Tallinn Kesklinn
}
OPENING_HOURS = {"mon-sat": "09:00-21:00", "sun": "10:00-18:00"}

# interviewer username -> [(store code, target quantity, interviews made)]
PLAN: dict[str, list[tuple[str, int, int]]] = {
    "interviewer.hr": [("HR-01", 40, 30), ("HR-02", 15, 8)],
    "interviewer.ee": [("EE-01", 25, 14)],
}
# name, store code or None, conditions, target
QUOTAS: list[tuple[str, str | None, dict[str, list[str]], int]] = [
    ("Women 18–34 at Zagreb Centar", "HR-01", {"gender": ["female"], "age_group": ["18-24", "25-34"]}, 5),
    ("Men 35+ at Tallinn Kesklinn", "EE-01", {"gender": ["male"], "age_group": ["35-44", "45-54", "55-64", "65+"]},
     20),
    ("Visitors at Zagreb Arena", "HR-02", {}, 15),
]  # fmt: skip
FLAGGED = ("speeding", "straight_lining", "out_of_area", "possible_duplicate", "clock_skew")
# The special interviews ``_special`` adds per interviewer: for interviewer.hr 3 speeding, 1 straight-lining,
# 1 out of area, 2 near-duplicates, 1 clock-skewed, 1 screened out; for interviewer.ee 2 screened out.
SPECIAL_INTERVIEWS = {"interviewer.hr": 9, "interviewer.ee": 2}
FIELDWORK_INTERVIEWS = sum(made for plan in PLAN.values() for _code, _quantity, made in plan) + sum(
    SPECIAL_INTERVIEWS.values()
)
"""How many interviews the demo's devices send (all accepted)."""
UNSENT_ON_DEVICE = 2


@dataclass
class _Made:
    """One interview before it is sent: the device's view of it."""

    interview: Interview
    location: dict[str, Any] | None
    audit: list[dict[str, Any]]
    note: str = ""  # what the flags should find, for tests and the supervisor's eye


@dataclass
class FieldworkSummary:
    interviewers: int
    devices: int
    assignments: int
    quotas: int
    created: int
    screened_out: int
    notes: dict[str, list[str]] = field(default_factory=dict)  # flag -> client keys made to raise it
    sent: list[_Made] = field(default_factory=list)  # every interview as its device sent it, in order


def _ms(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


def _answers(
    rng: random.Random, latent: float, language: str, comments: Callable[[random.Random, str, int], str]
) -> dict[str, Any]:
    """A complete, eligible visitor's answers to the store-intercept template."""
    answers: dict[str, Any] = {"screen_age": "yes", "screen_visited": "yes"}
    for key, shift in zip(BATTERY, (0.0, 0.4, -0.5, 0.3, 0.1), strict=True):
        answers[key] = max(1, min(5, round(1 + (latent + shift + rng.gauss(0, 1.6) - 1.5) / 2.1)))
    if len({answers[key] for key in BATTERY}) == 1:  # people rarely give one point to everything: one differs
        answers["merchandise"] += -1 if answers["merchandise"] > 1 else 1
    nps = max(0, min(10, round(latent + rng.gauss(0, 1.2))))
    answers["did_buy"] = "yes" if rng.random() < 0.35 + 0.05 * nps else "no"
    if answers["did_buy"] == "no":
        answers["why_not_buy"] = rng.sample(list(WHY_NOT_VALUES), k=rng.choice((1, 1, 2)))
        if "other" in answers["why_not_buy"]:
            answers["why_not_other"] = comments(rng, language, nps)
    answers["nps"] = nps
    if rng.random() < 0.5:
        answers["comment"] = comments(rng, language, nps)
    answers["age_group"] = rng.choices(["18-24", "25-34", "35-44", "45-54", "55-64", "65+"],
                                       weights=[18, 26, 20, 16, 12, 8])[0]  # fmt: skip
    answers["gender"] = rng.choice(("female", "male", "female", "male", "na"))
    answers["home_area"] = rng.choices(list(HOME_AREAS), weights=[55, 30, 10, 5])[0]
    answers["household_size"] = rng.choices(list(HOUSEHOLD_SIZES), weights=[22, 32, 20, 18, 8])[0]
    return answers


def _offset(latitude: float, longitude: float, north_m: float, east_m: float) -> tuple[float, float]:
    return (latitude + north_m / 111_195.0,
            longitude + east_m / (111_195.0 * math.cos(math.radians(latitude))))  # fmt: skip


def _location(rng: random.Random, place: Place, *, away_m: float = 0.0) -> dict[str, Any]:
    north, east = (away_m, 0.0) if away_m else (rng.uniform(-25, 25), rng.uniform(-25, 25))
    latitude, longitude = _offset(place.latitude, place.longitude, north, east)
    return {"latitude": round(latitude, 6), "longitude": round(longitude, 6),
            "accuracy": round(rng.uniform(4, 18), 1), "status": "ok"}  # fmt: skip


def _audit(
    rng: random.Random,
    keys: list[str],
    answers: dict[str, Any],
    started: dt.datetime,
    seconds: int,
    *,
    switch_to: str | None = None,
) -> list[dict[str, Any]]:
    """ODK-style audit events: form start, one "question" event per screen (times spread over ``seconds``), a
    language change when ``switch_to`` is given, end screen and finalize (device times in ms since epoch)."""
    blank = {"latitude": None, "longitude": None, "accuracy": None, "old_value": None, "new_value": None}
    weights = [rng.uniform(0.6, 1.6) for _ in keys]
    scale = (seconds - 6) / sum(weights)
    events = [{"event": "form start", "node": "", "start": _ms(started), "end": None, **blank}]
    moment = started + dt.timedelta(seconds=2)
    for index, (key, weight) in enumerate(zip(keys, weights, strict=True)):
        end = moment + dt.timedelta(seconds=weight * scale)
        value = answers.get(key)
        events.append({"event": "question", "node": f"/data/{key}", "start": _ms(moment), "end": _ms(end), **blank,
                       "new_value": None if value is None else str(value)})  # fmt: skip
        if switch_to and index == 2:
            events.append({"event": "language change", "node": "", "start": _ms(end), "end": None, **blank,
                           "new_value": switch_to})  # fmt: skip
        moment = end
    events.append({"event": "end screen", "node": "", "start": _ms(moment), "end": _ms(moment), **blank})
    events.append({"event": "form finalize", "node": "", "start": _ms(moment + dt.timedelta(seconds=2)), "end": None,
                   **blank})  # fmt: skip
    return events


def _shown(questions: list[dict[str, Any]], answers: dict[str, Any]) -> list[str]:
    """The screens the interviewer went through: every question shown (skip logic and screening, as the app's
    own evaluator decides), answered or left empty."""
    return visible_keys(questions, answers)


class _Maker:
    """Makes one interviewer's interviews at one store, in order through the store's opening hours."""

    def __init__(self, rng: random.Random, version: SurveyVersion, questions: list[dict[str, Any]],
                 comments: Callable[[random.Random, str, int], str]) -> None:  # fmt: skip
        self.rng, self.version, self.questions, self.comments = rng, version, questions, comments

    def make(self, place: Place, unit: Unit, started: dt.datetime, *, answers: dict[str, Any] | None = None,
             seconds: int | None = None, language: str | None = None, away_m: float = 0.0,
             device_times: bool = True, skew: dt.timedelta = dt.timedelta(0)) -> _Made:  # fmt: skip
        rng = self.rng
        language = language or (place.languages[1] if rng.random() < place.second_share else place.languages[0])
        latent = 7.2 + rng.gauss(0, 1.8)
        answers = answers if answers is not None else _answers(rng, latent, language, self.comments)
        seconds = seconds if seconds is not None else max(150, int(rng.gauss(MEDIAN_SECONDS, 45)))
        submitted = started + dt.timedelta(seconds=seconds)
        switch = place.languages[1] if language == place.languages[0] and rng.random() < 0.08 else None
        interview = Interview(
            client_key=str(uuid.UUID(int=rng.getrandbits(128), version=4)), survey_id=self.version.survey_id,
            version=self.version.number, unit_id=unit.id, language=switch or language, answers=answers,
            started_at=started if device_times else None, submitted_at=submitted if device_times else None,
        )  # fmt: skip
        audit = _audit(rng, _shown(self.questions, answers), answers, started + skew, seconds, switch_to=switch)
        return _Made(interview, _location(rng, place, away_m=away_m), audit)


def _sync_day(interviewer: User, device_id: uuid.UUID, made: list[_Made], *, unsent: int = 0,
              oldest_unsent_at: dt.datetime | None = None) -> list[int]:  # fmt: skip
    """Send one device's interviews of a day through the one ingestion path; returns the new responses' ids.
    ``location``/``audit`` go with each interview once the sync stores them (contract 1)."""
    interviews = [_with_extras(m) for m in made]
    result = interviews_sync(interviewer=interviewer, device_id=device_id, app_version=APP_VERSION,
                             unsent_count=unsent, oldest_unsent_at=oldest_unsent_at, interviews=interviews)  # fmt: skip
    refused = [item for item in result.items if item.outcome.status not in ("created", "replayed")]
    if refused:
        raise ValueError(f"The demo made {len(refused)} interviews the sync refuses: {refused[0].outcome.error}")
    return [item.outcome.response_id for item in result.items if item.outcome.response_id is not None]


def _with_extras(made: _Made) -> Interview:
    """The interview with its location and audit trail when the sync's ``Interview`` holds them (once the
    supervision work is merged), else as it is."""
    fields = getattr(Interview, "__dataclass_fields__", {})
    extras: dict[str, Any] = {
        name: value for name, value in (("location", made.location), ("audit", made.audit)) if name in fields
    }
    if not extras:
        return made.interview
    from dataclasses import replace

    return replace(made.interview, **extras)


def _set_sites(actor: User, units: dict[str, Unit]) -> None:
    """Each store's location, radius and opening hours, through ``fieldwork.services.site_set`` once it
    exists (contract 5)."""
    site_set = getattr(fieldwork_services, "site_set", None)
    if site_set is None:
        return
    for code, place in PLACES.items():
        site_set(actor=actor, unit=units[code], latitude=place.latitude, longitude=place.longitude, radius_m=150,
                 time_zone=place.time_zone, opening_hours=OPENING_HOURS)  # fmt: skip


def seed_fieldwork(
    *,
    version: SurveyVersion,
    units: dict[str, Unit],
    interviewers: dict[str, User],
    supervisor: User,
    now: dt.datetime,
    comments: Callable[[random.Random, str, int], str],
    seed: int = FIELDWORK_SEED,
) -> FieldworkSummary:
    """Create the assignments, quotas and interviews described in the module docstring, for the published
    store-intercept ``version``; ``units`` maps store codes to units, ``interviewers`` usernames to users (role
    interviewer, working at those stores); ``comments(rng, language, nps)`` writes a comment. The interviews
    come from their own random ``seed`` (the same story whatever the demo's seed). Raises ValueError if the sync
    refuses an interview (the demo must only make valid ones)."""
    rng = random.Random(seed)
    survey = version.survey
    maker = _Maker(rng, version, version.definition["questions"], comments)
    _set_sites(supervisor, units)
    assignments = 0
    for username, plan in PLAN.items():
        for code, quantity, _made in plan:
            assignment_create(actor=supervisor, survey=survey, unit=units[code], interviewer=interviewers[username],
                              quantity=quantity, starts_at=now - dt.timedelta(days=4),
                              ends_at=now + dt.timedelta(days=10))  # fmt: skip
            assignments += 1
    for name, where, conditions, target in QUOTAS:
        quota_create(survey=survey, name=name, target=target, conditions=conditions,
                     unit=units[where] if where else None)  # fmt: skip
    summary = FieldworkSummary(interviewers=len(PLAN), devices=len(PLAN), assignments=assignments,
                               quotas=len(QUOTAS), created=0, screened_out=0)  # fmt: skip
    for username, plan in PLAN.items():
        device_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        days: dict[int, list[_Made]] = {}
        for code, _quantity, count in plan:
            place = PLACES[code]
            zone = ZoneInfo(place.time_zone)
            for index in range(count):
                day = 3 - index * 3 // count  # spread over the last three days, oldest first
                local = (now.astimezone(zone) - dt.timedelta(days=day)).replace(hour=10, minute=0, second=0,
                                                                                 microsecond=0)  # fmt: skip
                started = local + dt.timedelta(minutes=17 * (index % 24) + rng.randint(0, 6))
                days.setdefault(day, []).append(maker.make(place, units[code], started))
        _special(maker, username, days, units, summary, now)
        for day in sorted(days, reverse=True):
            made = days[day]
            last = day == min(days)
            unsent = UNSENT_ON_DEVICE if username == "interviewer.ee" and last else 0
            oldest = now - dt.timedelta(hours=30) if unsent else None
            summary.created += len(_sync_day(interviewers[username], device_id, made, unsent=unsent,
                                             oldest_unsent_at=oldest))  # fmt: skip
            summary.screened_out += sum(1 for m in made if m.note == "screened_out")
            summary.sent += made
    pending_flags_check(survey_id=survey.id)  # the worker's check after each sync, done now: the demo shows flags
    return summary


def _special(maker: _Maker, username: str, days: dict[int, list[_Made]], units: dict[str, Unit],
             summary: FieldworkSummary, now: dt.datetime) -> None:  # fmt: skip
    """Add the interviews the flags should catch, and the screened-out visitors, to an interviewer's last day
    (yesterday afternoon in the store's zone)."""
    rng = maker.rng
    code = PLAN[username][0][0]
    place, unit = PLACES[code], units[code]
    day = min(days)
    local_now = now.astimezone(ZoneInfo(place.time_zone))
    afternoon = (local_now - dt.timedelta(days=day)).replace(hour=15, minute=0, second=0, microsecond=0)

    def add(made: _Made, note: str) -> None:
        made.note = note
        days[day].append(made)
        summary.notes.setdefault(note, []).append(str(made.interview.client_key))

    if username == "interviewer.hr":
        for minutes, seconds in ((0, 52), (9, 61), (18, 48)):  # speeding: a fifth of the ~300 s median
            add(maker.make(place, unit, afternoon + dt.timedelta(minutes=minutes), seconds=seconds), "speeding")
        same = _answers(rng, 7.0, place.languages[0], maker.comments) | dict.fromkeys(BATTERY, 3)
        add(maker.make(place, unit, afternoon + dt.timedelta(minutes=30), answers=same), "straight_lining")
        add(maker.make(place, unit, afternoon + dt.timedelta(minutes=45), away_m=13_000), "out_of_area")
        first = _answers(rng, 8.0, place.languages[0], maker.comments)
        first["comment"] = maker.comments(rng, place.languages[0], int(first["nps"]))
        second = first | {"nps": min(10, int(first["nps"]) + 1)}
        start = afternoon + dt.timedelta(minutes=60)
        add(maker.make(place, unit, start, answers=first, language=place.languages[0]), "possible_duplicate")
        add(maker.make(place, unit, start + dt.timedelta(minutes=4), answers=second, language=place.languages[0]),
            "possible_duplicate")  # fmt: skip
        # the device's clock runs 40 minutes ahead: its times are stored as sent and the sync flags clock_skew
        add(maker.make(place, unit, local_now + dt.timedelta(minutes=40)), "clock_skew")
        add(maker.make(place, unit, afternoon + dt.timedelta(minutes=80), answers={"screen_age": "no"}, seconds=25),
            "screened_out")  # fmt: skip
    else:
        for minutes in (20, 95):
            add(maker.make(place, unit, afternoon + dt.timedelta(minutes=minutes), seconds=35,
                           answers={"screen_age": "yes", "screen_visited": "no"}), "screened_out")  # fmt: skip
