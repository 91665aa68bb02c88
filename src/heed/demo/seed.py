"""Seed a realistic demo organisation: stores in five countries and a year of feedback.

The demo is a client of the apps' services like any other: organisation, units, users, surveys,
versions, links, the weighting scheme and the staff lists are made through them, and the responses go
through the one ingestion path in batches (``responses_submit_many``: tens of thousands in seconds);
every generated answer set is valid for its survey version. It imports no app's models.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from heed.accounts.selectors import organisation_get_by_slug
from heed.accounts.services import organisation_create, unit_create, user_create
from heed.analytics.rollups import rollups_rebuild
from heed.analytics.weighting import weighting_scheme_create, weights_tables_analyze
from heed.core import languages as language_registry
from heed.core.channels import Channel
from heed.core.labels import channel_label
from heed.demo.calls import seed_calls
from heed.demo.comment_bank import COMMENTS, STAFF_CRITICISM, STAFF_PRAISE
from heed.demo.fieldwork import seed_fieldwork
from heed.demo.scenario import (
    AGE_EFFECT,
    AGE_WEIGHTS,
    COMMENT_RATE,
    COUNTRIES,
    COUNTRY_EFFECT,
    POPULATION_AGE_SHARES,
    STAFF_NAMES,
    WORSE_STORES,
)
from heed.demo.users import DEMO_USERS
from heed.distribution.services import link_create
from heed.responses.services import Submission, responses_submit_many, responses_tables_analyze
from heed.surveys.definition import SurveyDefinition
from heed.surveys.selectors import version_definition
from heed.surveys.services import survey_create, survey_publish
from heed.surveys.templates_library import HOME_AREAS, HOUSEHOLD_SIZES
from heed.textanalytics.services import annotations_refresh, sentiment_model_retrain, staff_add, text_tables_analyze

if TYPE_CHECKING:
    from heed.accounts.models import Organisation, Unit
    from heed.distribution.models import SurveyLink
    from heed.surveys.models import SurveyVersion

DEMO_SLUG = "adriatica"
DEMO_PASSWORD = "heed-demo-2026"
LANGUAGES = list(language_registry.codes())
# The kinds of unit the demo makes: values of ``accounts.models.Unit.Kind`` (tests/demo checks they are).
REGION, STORE = "region", "store"


@dataclass
class Store:
    unit: Unit
    country: str
    language: str
    second_language: str
    second_share: float
    effect: float


@dataclass
class DemoSurvey:
    version: SurveyVersion
    definition: SurveyDefinition
    share: float
    channels: tuple[str, ...]
    answers: Callable[[random.Random, float, str, str], dict[str, Any]]


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


def _sentiment(nps: int) -> str:
    return "negative" if nps <= 6 else "neutral" if nps <= 8 else "positive"


# Share of comments that name a staff member: promoters praise one, detractors criticise one (customers name
# the person they thank more often than the one they complain about).
STAFF_PRAISE_RATE = 0.12
STAFF_CRITICISM_RATE = 0.06


def _comment(rng: random.Random, language: str, nps: int) -> str:
    sentiment = _sentiment(nps)
    if sentiment == "positive" and rng.random() < STAFF_PRAISE_RATE:
        return rng.choice(STAFF_PRAISE[language]).format(name=rng.choice(STAFF_NAMES[language]))
    if sentiment == "negative" and rng.random() < STAFF_CRITICISM_RATE:
        return rng.choice(STAFF_CRITICISM[language]).format(name=rng.choice(STAFF_NAMES[language]))
    return rng.choice(COMMENTS[language][sentiment])


def _csat_from(rng: random.Random, latent: float) -> int:
    return _clip(1 + (latent - 1.5) / 2.1 + rng.gauss(0, 0.55), 1, 5)


DRIVER_SHIFTS = {"store_experience": 0.0, "store_tidiness": 0.3, "merchandise": -0.4, "staff_behaviour": 0.3,
                 "staff_professionalism": 0.1}  # fmt: skip
DRIVER_WEIGHTS = {"store_experience": 0.15, "store_tidiness": 0.0, "merchandise": 0.3, "staff_behaviour": 0.45,
                  "staff_professionalism": 0.1}  # fmt: skip


def _intercept_answers(rng: random.Random, latent: float, language: str, channel: str) -> dict[str, Any]:
    # Each attribute varies around the visit's overall quality; recommending depends most on how the staff
    # behaved, then on the merchandise, so the key-driver page has a real story to tell.
    experience = {key: latent + shift + rng.gauss(0, 1.6) for key, shift in DRIVER_SHIFTS.items()}
    recommend = sum(DRIVER_WEIGHTS[key] * value for key, value in experience.items()) + rng.gauss(0, 0.9)
    nps = _clip(recommend, 0, 10)
    answers: dict[str, Any] = {"screen_age": "yes", "screen_visited": "yes"}
    answers |= {key: _csat_from(rng, value) for key, value in experience.items()} | {"nps": nps}
    bought = rng.random() < 0.35 + 0.05 * nps
    answers["did_buy"] = "yes" if bought else "no"
    if not bought:
        reasons = ["price", "size", "browsing", "queue", "quality", "other"]
        answers["why_not_buy"] = rng.sample(reasons, k=rng.choice((1, 1, 1, 2)))
    answers["home_area"] = rng.choices(HOME_AREAS, weights=(55, 30, 10, 5))[0]
    answers["household_size"] = rng.choices(HOUSEHOLD_SIZES, weights=(22, 32, 20, 18, 8))[0]
    if rng.random() < COMMENT_RATE.get(channel, 0.3):
        answers["comment"] = _comment(rng, language, nps)
    return answers


def _transaction_answers(rng: random.Random, latent: float, language: str, channel: str) -> dict[str, Any]:
    nps = _clip(latent, 0, 10)
    answers: dict[str, Any] = {"csat": _csat_from(rng, latent + 0.2)}
    if rng.random() < 0.8:
        answers["nps"] = nps
    if rng.random() < COMMENT_RATE.get(channel, 0.3):
        answers["comment"] = _comment(rng, language, nps)
    return answers


def _ces_answers(rng: random.Random, latent: float, language: str, channel: str) -> dict[str, Any]:
    ces = _clip(1 + (latent - 1) / 1.5 + rng.gauss(0, 0.7), 1, 7)
    answers: dict[str, Any] = {"ces": ces}
    if rng.random() < COMMENT_RATE.get(channel, 0.3):
        answers["comment"] = _comment(rng, language, _clip(latent, 0, 10))
    return answers


def _relationship_answers(rng: random.Random, latent: float, language: str, channel: str) -> dict[str, Any]:
    nps = _clip(latent, 0, 10)
    answers: dict[str, Any] = {"nps": nps}
    if rng.random() < COMMENT_RATE.get(channel, 0.3):
        answers["nps_reason"] = _comment(rng, language, nps)
    return answers


def _build_org(rng: random.Random) -> tuple[Organisation, list[Store]]:
    organisation = organisation_create(
        name="Adriatica Retail Group", slug=DEMO_SLUG, brand="Adriatica", languages=LANGUAGES, default_language="en"
    )
    stores: list[Store] = []
    for country in COUNTRIES:
        number = 0
        for region_number, (region_name, towns) in enumerate(country.regions, start=1):
            region = unit_create(
                organisation=organisation,
                kind=REGION,
                name=region_name,
                code=f"{country.code}-R{region_number}",
                country=country.code,
                language=country.language,
            )
            for town in towns:
                number += 1
                code = f"{country.code}-{number:02d}"
                unit = unit_create(
                    organisation=organisation,
                    kind=STORE,
                    name=town,
                    code=code,
                    parent=region,
                    country=country.code,
                    language=country.language,
                )
                effect = COUNTRY_EFFECT[country.code] + rng.gauss(0, 0.35) + WORSE_STORES.get(code, 0.0)
                stores.append(
                    Store(unit, country.code, country.language, country.second_language, country.second_share, effect)
                )
    return organisation, stores


def _build_users(organisation: Organisation) -> None:
    units = {unit.code: unit for unit in organisation.units.all()}
    for username, role, unit_code, first_name in DEMO_USERS:
        user_create(
            organisation=organisation,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            email=f"{username}@adriatica.example",
            units=[units[unit_code]] if unit_code else [],
            first_name=first_name,
        )


def _build_surveys(organisation: Organisation, actor) -> list[DemoSurvey]:
    specs = [
        ("Store visit (intercept)", "store_intercept", 0.45, (Channel.QR, Channel.INTERCEPT), _intercept_answers),
        ("After your purchase", "transaction_csat", 0.30, (Channel.TRANSACTION, Channel.EMAIL), _transaction_answers),
        ("Returns and support effort", "ces", 0.10, (Channel.WEB, Channel.EMAIL), _ces_answers),
        ("Relationship NPS 2026", "relationship_nps", 0.15, (Channel.EMAIL,), _relationship_answers),
    ]
    surveys = []
    for title, template, share, channels, answers in specs:
        survey = survey_create(
            organisation=organisation,
            title=title,
            created_by=actor,
            languages=LANGUAGES,
            default_language="en",
            template_key=template,
        )
        version = survey_publish(survey=survey, actor=actor)
        surveys.append(DemoSurvey(version, version_definition(version), share, channels, answers))
    return surveys


def _add_staff(stores: list[Store]) -> None:
    """Each store's staff: the first names its comments praise, in its main and second language."""
    for store in stores:
        for language in filter(None, (store.language, store.second_language)):
            for name in STAFF_NAMES[language]:
                staff_add(unit=store.unit, first_name=name)


def _timestamp(rng: random.Random, now: dt.datetime, days: int) -> tuple[dt.datetime, float]:
    age_days = rng.random() * days
    moment = now - dt.timedelta(days=age_days)
    moment = moment.replace(hour=rng.randint(9, 19), minute=rng.randint(0, 59), second=rng.randint(0, 59))
    if moment > now:
        moment -= dt.timedelta(days=1)
    return moment, 1 - age_days / days  # 0 = a year ago, 1 = today


def _age_group(rng: random.Random) -> str:
    return rng.choices(list(AGE_WEIGHTS), weights=list(AGE_WEIGHTS.values()))[0]


@transaction.atomic
def seed_demo(
    *, responses: int = 60_000, seed: int = 7, days: int = 365, progress: Callable[[str], None] = lambda _m: None
) -> dict[str, Any]:
    """Create the demo organisation with ``responses`` responses. Refuses if it already exists.

    Returns ``organisation``, ``stores`` (count), ``responses`` (generated; the call list's phone interviews come
    on top), ``phone_interviews``, ``password`` and ``analyzed``: the tables whose planner statistics the last
    step refreshed (ANALYZE, ``heed.core.statistics``). Raises ``ValueError`` if the demo organisation exists or
    a generated response is refused (a bug in the generator)."""
    if organisation_get_by_slug(slug=DEMO_SLUG) is not None:
        raise ValueError("The demo organisation already exists (use --reset to recreate it).")
    rng = random.Random(seed)
    organisation, stores = _build_org(rng)
    _build_users(organisation)
    analyst = organisation.users.get(username="analyst")
    surveys = _build_surveys(organisation, analyst)
    links: dict[tuple[int, int, str], SurveyLink] = {}
    for survey in surveys:
        for store in stores:
            for channel in survey.channels:
                links[(survey.version.id, store.unit.id, channel)] = link_create(
                    survey=survey.version.survey,
                    channel=channel,
                    unit=store.unit,
                    name=f"{store.unit.code} {channel_label(channel)}",
                    touchpoint="store"
                    if channel in ("qr", "intercept")
                    else "after purchase"
                    if channel == "transaction"
                    else "",
                )
    progress(f"Organisation with {len(stores)} stores, {len(surveys)} surveys; generating {responses} responses…")
    now = timezone.now()
    weights = [s.share for s in surveys]
    store_weights = [1.0 + (3 if s.unit.code.endswith(("-01", "-02")) else 0) for s in stores]
    batch: list[tuple[Submission, dict[str, Any]]] = []
    made = 0
    for _ in range(responses):
        survey = rng.choices(surveys, weights=weights)[0]
        store = rng.choices(stores, weights=store_weights)[0]
        channel = rng.choice(survey.channels)
        language = store.second_language if rng.random() < store.second_share else store.language
        submitted_at, recency = _timestamp(rng, now, days)
        age = _age_group(rng)
        latent = 7.4 + store.effect + AGE_EFFECT[age] + 0.6 * recency + rng.gauss(0, 1.9)
        answers = survey.answers(rng, latent, language, channel)
        if "age_group" in {q.key for q in survey.definition.questions}:
            answers["age_group"] = age
            answers["gender"] = rng.choice(("female", "male", "female", "male", "other", "na"))
        duration = rng.randint(35, 420)
        link = links[(survey.version.id, store.unit.id, channel)]
        submission = Submission(
            survey=survey.version.survey, version=survey.version, link=link, unit=store.unit, channel=channel,
            language=language, touchpoint=link.touchpoint, started_at=submitted_at - dt.timedelta(seconds=duration),
            submitted_at=submitted_at, client_key=f"demo-{made}",
        )  # fmt: skip
        batch.append((submission, answers))
        made += 1
        if len(batch) >= 2000:
            _flush(batch)
            progress(f"  {made} responses")
            batch = []
    _flush(batch)
    progress("Fieldwork: interviewers, assignments, quotas and interviews synced from their devices…")
    units = {store.unit.code: store.unit for store in stores}
    fieldwork = seed_fieldwork(
        version=surveys[0].version, units=units, supervisor=analyst, now=now, comments=_comment,
        interviewers={u.username: u for u in organisation.users.filter(username__startswith="interviewer.")},
    )  # fmt: skip
    responses_tables_analyze()  # fresh planner statistics before reading what was loaded
    rollups_rebuild(organisation_id=organisation.id)
    intercept = surveys[0].version.survey
    weighting_scheme_create(survey=intercept, name="Shoppers by age (census 2025)",
                            targets={"age_group": POPULATION_AGE_SHARES}, created_by=analyst,
                            compute_now=True)  # fmt: skip
    _add_staff(stores)
    hr_store = next(store.unit for store in stores if store.unit.country == "HR")
    phone_interviews = seed_calls(survey=surveys[3].version.survey, unit=hr_store, operator=analyst, now=now)
    progress("Reading the comments (language, sentiment, themes, staff, personal data)…")
    sentiment_model_retrain(organisation=organisation)
    annotations_refresh(organisation=organisation)
    progress("Updating the database's planner statistics (ANALYZE)…")
    # Every table the seed filled in bulk (the rollups were analyzed when they were rebuilt above).
    analyzed = responses_tables_analyze() + weights_tables_analyze() + text_tables_analyze()
    return {
        "organisation": organisation,
        "stores": len(stores),
        "responses": made,
        "phone_interviews": phone_interviews,
        "fieldwork_interviews": fieldwork.created,
        "password": DEMO_PASSWORD,
        "analyzed": analyzed,
    }


def _flush(batch: list[tuple[Submission, dict[str, Any]]]) -> None:
    """Store generated responses through the one ingestion path (``responses_submit_many``): validated against
    their version, with the client_key ledger, and the registered handlers (rollup days, text analysis) run."""
    if not batch:
        return
    failed = [o for o in responses_submit_many(items=batch) if o.status != "created"]
    if failed:
        raise ValueError(f"The demo generated {len(failed)} responses the survey refuses: {failed[0].error}")
