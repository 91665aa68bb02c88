"""Key driver analysis: which rating questions move the outcome (NPS or overall satisfaction) the most.

Reads the numeric answers of a survey's scale questions for the responses the caller may see
(``response_queryset``, so a unit manager's analysis uses their units only) in one query, pivots them
into a responses x questions matrix in numpy and hands it to the pure functions of
:mod:`heed.stats.drivers`: LMG importance with bootstrap intervals (the ranking), Johnson's relative
weights (a cross-check), and the importance-performance quadrant of Martilla & James (1977) that turns
the ranking into an action list. Adjacent drivers whose intervals overlap are marked as not clearly
ordered, so nobody ranks on noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from django.utils.translation import gettext

from heed.accounts.selectors import organisation_of
from heed.core.errors import ApplicationError, NotFoundError
from heed.responses.selectors import ResponseFilters, numeric_answer_rows
from heed.stats.drivers import QUADRANT_ACTIONS, lmg, quadrant, rank_is_clear, relative_weights
from heed.stats.intervals import mean as mean_interval
from heed.surveys.definition import SCALE_TYPES, QuestionDef, SurveyDefinition
from heed.surveys.selectors import VersionPooling, question_versions, survey_get, survey_version_get, version_definition

if TYPE_CHECKING:
    from heed.accounts.models import User
    from heed.surveys.models import Survey, SurveyVersion

MIN_RESPONSES = 30  # the small-sample floor used for every figure Heed shows (heed.stats.reliability)
MAX_DRIVERS = 30  # beyond EXACT_LIMIT the LMG is sampled; this bounds the cost of a page view
LEVEL = 0.95


@dataclass(frozen=True)
class DriverSetup:
    """What a driver analysis of one survey can use: its rating questions, from the latest published version."""

    survey: Survey
    definition: SurveyDefinition
    scales: tuple[QuestionDef, ...]
    default_outcome: str | None
    version: SurveyVersion | None = None  # the version analysed: its questions' meaning decides what is pooled

    @property
    def language(self) -> str:
        return self.definition.default_language

    def text(self, question: QuestionDef) -> str:
        return question.text(self.language, self.language)

    def default_drivers(self, outcome: str | None) -> list[str]:
        return [q.key for q in self.scales if q.key != outcome]


def driver_setup(*, user: User, survey_id: int, version: int | None = None) -> DriverSetup:
    """The scale questions of version ``version`` (default: the latest) and the default outcome (the NPS question,
    else the CSAT one).

    Raises ``NotFoundError`` for a survey outside the user's organisation or a version it never published, and
    ``ApplicationError`` when the survey has no published version.
    """
    survey = survey_get(organisation=organisation_of(user), survey_id=survey_id)
    if survey is None:
        raise NotFoundError("No such survey.")
    chosen = survey_version_get(survey=survey, number=version)
    if chosen is None:
        raise ApplicationError(
            "This survey has no published version yet: publish it and collect responses first.", code="not_published"
        )
    definition = version_definition(chosen)
    scales = tuple(q for q in definition.questions if q.type in SCALE_TYPES)
    by_metric = {q.metric: q.key for q in scales if q.metric}
    return DriverSetup(survey, definition, scales, by_metric.get("nps") or by_metric.get("csat"), chosen)


def _choose(
    setup: DriverSetup, outcome: str | None, drivers: list[str] | None
) -> tuple[QuestionDef, list[QuestionDef]]:
    questions = {q.key: q for q in setup.definition.questions}
    if outcome is None:
        outcome = setup.default_outcome
        if outcome is None:
            raise ApplicationError(
                "The survey has no question tagged as NPS or CSAT: choose the outcome question.", code="no_outcome"
            )
    wanted = list(dict.fromkeys(drivers)) if drivers else setup.default_drivers(outcome)
    unknown = [key for key in [outcome, *wanted] if key not in questions]
    if unknown:
        raise ApplicationError(
            f"Unknown question key(s): {', '.join(unknown)}. "
            f"Rating questions of this survey: {', '.join(q.key for q in setup.scales) or 'none'}.",
            code="unknown_question",
        )
    not_scale = [key for key in [outcome, *wanted] if questions[key].type not in SCALE_TYPES]
    if not_scale:
        raise ApplicationError(
            f"Only rating questions (NPS, CSAT, CES, Likert, rating) can be analysed: {', '.join(not_scale)}.",
            code="not_a_scale",
        )
    if outcome in wanted:
        if drivers:
            raise ApplicationError(f"The outcome {outcome} cannot also be a driver.", code="outcome_is_driver")
        wanted.remove(outcome)
    if len(wanted) < 2:
        raise ApplicationError(
            "A driver analysis needs at least 2 driver questions besides the outcome "
            f"(got {len(wanted)}: {', '.join(wanted) or 'none'}).",
            code="too_few_drivers",
        )
    if len(wanted) > MAX_DRIVERS:
        raise ApplicationError(
            gettext("Choose at most %(most)d drivers (got %(got)d).") % {"most": MAX_DRIVERS, "got": len(wanted)},
            code="too_many_drivers",
        )
    return questions[outcome], [questions[key] for key in wanted]


def scale_matrix(
    *, user: User, filters: ResponseFilters, keys: list[str], versions: dict[str, VersionPooling] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Response ids and an n x len(keys) matrix of their numeric answers (NaN where a question was not answered).

    With ``versions`` (``heed.surveys.selectors.question_versions``), a question's answers are read only from the
    versions whose meaning of it equals the analysed version's; elsewhere its cell is NaN. One query for all
    answers of the visible responses; the pivot happens in numpy. Rows are ordered by response id; responses
    without any of the questions answered are not in the matrix.
    """
    version_ids = None if versions is None else {key: versions[key].version_ids for key in keys}
    rows = numeric_answer_rows(user=user, filters=filters, keys=keys, version_ids=version_ids)
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty((0, len(keys)))
    response_ids, question_keys, values = zip(*rows, strict=True)
    column = {key: j for j, key in enumerate(keys)}
    ids, row = np.unique(np.fromiter(response_ids, dtype=np.int64, count=len(rows)), return_inverse=True)
    matrix = np.full((len(ids), len(keys)), np.nan)
    matrix[row, [column[k] for k in question_keys]] = np.fromiter(values, dtype=float, count=len(rows))
    return ids, matrix


def versions_summary(pooling: dict[str, VersionPooling], version: SurveyVersion | None) -> dict[str, Any]:
    """Which versions an analysis of these questions pooled: ``pooled`` holds the versions in which every question
    means what it means in the analysed version (answers of other versions are read only for the questions that
    kept their meaning), ``questions`` the detail per question with the versions left out and why."""
    per_question = list(pooling.values())
    common = set.intersection(*(set(p.pooled) for p in per_question)) if per_question else set()
    return {
        "analysed": version.number if version else None,
        "pooled": sorted(common),
        "questions": [p.as_dict() for p in per_question],
    }


@dataclass(frozen=True)
class _Performance:
    mean: float
    score: float  # the mean on 0-100: scale minimum 0, maximum 100, so different scales compare
    low: float  # 95% interval of the score (Student t)
    high: float


def _performance(values: np.ndarray, question: QuestionDef) -> _Performance:
    estimate = mean_interval(n=len(values), total=float(values.sum()), total_sq=float(values @ values))
    if question.min is None or question.max is None:
        raise ValueError(f"{question.key} has no scale (min and max): drivers are scale questions")
    bottom, top = float(question.min), float(question.max)  # scale questions always have min < max

    def rescale(value: float | None) -> float:
        return float("nan") if value is None else 100.0 * (value - bottom) / (top - bottom)

    mean = float("nan") if estimate.value is None else float(estimate.value)
    return _Performance(mean, rescale(estimate.value), rescale(estimate.low), rescale(estimate.high))


def driver_analysis(
    *,
    user: User,
    survey_id: int,
    outcome: str | None = None,
    drivers: list[str] | None = None,
    filters: ResponseFilters | None = None,
    bootstrap: int = 200,
    seed: int = 0,
    version: int | None = None,
) -> dict[str, Any]:
    """Key drivers of ``outcome`` among the survey's rating questions, for the responses ``user`` may see.

    ``outcome`` defaults to the question tagged NPS, else CSAT; ``drivers`` to every other rating question of
    the latest published version. Drivers come back ranked by LMG importance (Grömping 2006) with percentile
    bootstrap intervals (``bootstrap`` resamples drawn with ``seed``), Johnson's relative weights, the mean
    rating rescaled to 0-100 ("performance", with a 95% t interval) and the importance-performance quadrant.
    ``clear_vs_next`` says whether a driver ranks clearly above the next one (their intervals do not overlap);
    when it is False the two should be read as tied. ``quadrant_clear`` says whether both intervals of a driver
    lie wholly on one side of the quadrant's cross-hairs; when it is False the quadrant is a borderline call.
    Only responses that answered the outcome and every driver are used, and a question's answers only from the
    published versions where it means what it means in ``version`` (default: the latest; same type, scale and
    options, ``heed.surveys.selectors.question_versions``); ``versions`` in the result names the versions pooled
    and those left out, with the reason.
    """
    setup = driver_setup(user=user, survey_id=survey_id, version=version)
    outcome_q, driver_qs = _choose(setup, outcome, drivers)
    filters = (filters or ResponseFilters()).model_copy(update={"survey_id": setup.survey.id})
    keys = [q.key for q in driver_qs] + [outcome_q.key]
    pooling = question_versions(survey=setup.survey, keys=keys, version=setup.version)
    _ids, matrix = scale_matrix(user=user, filters=filters, keys=keys, versions=pooling)
    X, y = matrix[:, :-1], matrix[:, -1]
    complete = ~np.isnan(matrix).any(axis=1)
    n = int(complete.sum())
    if n < MIN_RESPONSES:
        raise ApplicationError(
            f"Only {n} response{'s' if n != 1 else ''} answered {outcome_q.key} and all {len(driver_qs)} drivers; "
            f"a driver analysis needs at least {MIN_RESPONSES}. Widen the filters or collect more responses.",
            code="too_few_responses",
            extra={"n": n, "required": MIN_RESPONSES, "versions": versions_summary(pooling, setup.version)},
        )
    names = [q.key for q in driver_qs]
    try:
        result = lmg(X, y, names=names, bootstrap=bootstrap, level=LEVEL, seed=seed)
        johnson = relative_weights(X, y, names=names)
    except ValueError as exc:  # a constant outcome or driver, or collinear drivers
        raise ApplicationError(f"The drivers cannot be separated: {exc}.", code="not_computable") from None

    performance = [_performance(X[complete, j], q) for j, q in enumerate(driver_qs)]
    percents = np.array(result.percent)
    scores = np.array([p.score for p in performance])
    labels = quadrant(percents, scores)
    order = result.ranking()
    has_intervals = result.low is not None
    clear: list[bool | None] = [
        has_intervals and rank_is_clear(result, order[r], order[r + 1]) for r in range(len(order) - 1)
    ]
    clear.append(None)
    # A quadrant is only as sure as the side of each cross-hair a driver falls on: does its importance interval lie
    # wholly above or below the mean importance, and its performance interval above or below the mean performance?
    importance_split, performance_split = float(np.mean(result.importance)), float(scores.mean())
    side_clear = [
        result.low is not None
        and result.high is not None
        and (result.low[j] > importance_split or result.high[j] < importance_split)
        and (performance[j].low > performance_split or performance[j].high < performance_split)
        for j in range(len(driver_qs))
    ]

    ranked = []
    for rank, j in enumerate(order):
        question = driver_qs[j]
        perf = performance[j]
        ranked.append(
            {
                "key": question.key,
                "text": setup.text(question),
                "type": question.type,
                "rank": rank + 1,
                "importance": round(result.importance[j], 4),
                "low": round(result.low[j], 4) if result.low is not None else None,
                "high": round(result.high[j], 4) if result.high is not None else None,
                "percent": round(result.percent[j], 2),
                "johnson_percent": round(johnson.percent[j], 2),
                "mean": round(perf.mean, 3),
                "scale_min": question.min,
                "scale_max": question.max,
                "performance": round(perf.score, 1),
                "performance_low": round(perf.low, 1),
                "performance_high": round(perf.high, 1),
                "quadrant": labels[j],
                "action": QUADRANT_ACTIONS[labels[j]],
                "quadrant_clear": bool(side_clear[j]),
                "clear_vs_next": clear[rank],
            }
        )
    outcome_perf = _performance(y[complete], outcome_q)
    return {
        "survey_id": setup.survey.id,
        "survey_title": setup.survey.title,
        "language": setup.language,
        "outcome": outcome_q.key,
        "outcome_text": setup.text(outcome_q),
        "outcome_type": outcome_q.type,
        "outcome_mean": round(outcome_perf.mean, 3),
        "outcome_performance": round(outcome_perf.score, 1),
        "method": result.method,
        "exact": result.exact,
        "n": result.n,
        "n_dropped": result.n_dropped,
        "r2": round(result.r2, 4),
        "johnson_r2": round(johnson.r2, 4),
        "bootstrap": result.bootstrap,
        "level": result.level,
        "seed": seed,
        "importance_split": round(float(percents.mean()), 2),
        "performance_split": round(performance_split, 1),
        "versions": versions_summary(pooling, setup.version),
        "drivers": ranked,
        "pairs": [
            {"above": ranked[r]["key"], "below": ranked[r + 1]["key"], "clear": bool(clear[r])}
            for r in range(len(ranked) - 1)
        ],
    }
