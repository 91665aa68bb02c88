"""Weighting schemes: population targets from a CSV of margins, raked into one weight per response.

The CSV has three columns, ``variable,category,share`` (shares as fractions or percentages), e.g.
``age_group,18-24,0.12``. Variables are respondent fields: age_group, gender, region, language,
channel, and unit (by unit code). Categories the survey cannot produce (not an answer option of any
published version, not a language, channel or unit code) are refused by name when the file is read.
Respondents in a category without a target (e.g. gender "other" against female/male margins) or without an
answer are either kept at their share of the sample or left out of weighted figures, as the analyst chose
(``WeightingScheme.unmatched``; ``heed.stats.weighting.targets_for_sample``); the diagnostics say which was
done, for which categories and how many respondents.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from heed.accounts.selectors import organisation_id_of, organisation_of, unit_names_by_code
from heed.analytics.models import ResponseWeight, WeightingScheme, WeightingStaleMark
from heed.core.debounce import enqueue_soon
from heed.core.errors import ApplicationError, ConflictError, NotFoundError
from heed.core.labels import dimension_label, value_label
from heed.core.statistics import tables_analyze
from heed.responses.filter_spec import COUNTED
from heed.responses.selectors import responses_unscoped
from heed.stats.weighting import UNMATCHED_POLICIES, RakingError, rake, targets_for_sample
from heed.surveys.selectors import survey_get

if TYPE_CHECKING:
    from heed.accounts.models import User
    from heed.surveys.models import Survey

WEIGHTING_VARIABLES = {
    "age_group": "age_group", "gender": "gender", "region": "region", "language": "language",
    "channel": "channel", "unit": "unit__code",
}  # fmt: skip
MAX_CSV_BYTES = 200_000
NO_ANSWER = "(no answer)"  # the category of respondents who did not answer a weighting variable
STALE_COMPUTE_DELAY = 5.0  # seconds after a review before its schemes are weighed again (reviews come in runs)


def targets_from_csv(text: str, *, known: dict[str, list[str]] | None = None) -> dict[str, dict[str, float]]:
    """Parse ``variable,category,share`` rows; percentages (a variable summing to ~100) are accepted.

    With ``known`` (``weighting_categories`` of the survey), a variable the survey never asks and categories it
    cannot produce are refused by name before the shares are checked. Raises ``ApplicationError`` (400).
    """
    if len(text.encode()) > MAX_CSV_BYTES:
        raise ApplicationError(gettext("The margins file is too large (at most 200 kB)."))
    targets: dict[str, dict[str, float]] = defaultdict(dict)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    for line_number, row in enumerate(reader, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (line_number == 1 and [c.lower() for c in cells[:3]] == ["variable", "category", "share"]):
            continue
        if len(cells) != 3:
            raise ApplicationError(gettext("Line %(line)d: expected variable,category,share.") % {"line": line_number})
        variable, category, share = cells
        if variable not in WEIGHTING_VARIABLES:
            raise ApplicationError(
                gettext("Line %(line)d: unknown variable “%(variable)s”; use one of %(variables)s.")
                % {"line": line_number, "variable": variable, "variables": ", ".join(WEIGHTING_VARIABLES)}
            )
        try:
            value = float(share.rstrip("%"))
        except ValueError:
            value = float("nan")
        if not np.isfinite(value):  # also "nan", "inf", "-infinity": Python reads them as floats
            raise ApplicationError(
                gettext("Line %(line)d: the share “%(share)s” is not a number between 0 and 1 (or a percentage).")
                % {"line": line_number, "share": share}
            )
        if value < 0:
            raise ApplicationError(
                gettext("Line %(line)d: a share cannot be negative (“%(share)s”).")
                % {"line": line_number, "share": share}
            )
        if category in targets[variable]:
            raise ApplicationError(
                gettext("Line %(line)d: %(variable)s=%(category)s is given twice.")
                % {"line": line_number, "variable": variable, "category": category}
            )
        targets[variable][category] = value
    if not targets:
        raise ApplicationError(gettext("The margins file has no rows."))
    if known is not None:
        _check_categories(targets, known)
    for variable, shares in targets.items():
        total = sum(shares.values())
        if abs(total - 100) < 0.5:
            targets[variable] = {k: v / 100 for k, v in shares.items()}
        elif abs(total - 1) > 0.005:
            raise ApplicationError(
                gettext("The shares of %(variable)s (%(categories)s) add up to %(total)s, not 1 (or 100%%).")
                % {"variable": variable, "categories": ", ".join(shares), "total": f"{total:g}"}
            )
        else:
            targets[variable] = {k: v / total for k, v in shares.items()}
    return dict(targets)


def weighting_categories(*, survey: Survey) -> dict[str, list[str]]:
    """The categories each weighting variable can take in ``survey``'s responses.

    Age group, gender and region: the option values of that question in every published version (none: the
    survey never asks it); language: the survey's languages; channel: Heed's channels; unit: the organisation's
    unit codes.
    """
    from heed.core.channels import Channel
    from heed.surveys.definition import SurveyDefinition

    known: dict[str, list[str]] = {"age_group": [], "gender": [], "region": []}
    for definition in survey.versions.order_by("number").values_list("definition", flat=True):
        for question in SurveyDefinition.model_validate(definition).questions:
            if question.type in known:
                known[question.type] += [o.value for o in question.options if o.value not in known[question.type]]
    known["language"] = list(survey.languages)
    known["channel"] = list(Channel.values)
    known["unit"] = list(unit_names_by_code(organisation_id=survey.organisation_id))
    return known


def _check_categories(targets: dict[str, dict[str, float]], known: dict[str, list[str]]) -> None:
    problems = []
    for variable, shares in targets.items():
        allowed = known.get(variable, [])
        if not allowed:
            problems.append(
                gettext("this survey never asks for %(variable)s, so no response has one") % {"variable": variable}
            )
            continue
        unknown = [category for category in shares if category not in allowed]
        if unknown:
            problems.append(
                gettext("%(variable)s has no category %(unknown)s in this survey (its categories: %(allowed)s)")
                % {"variable": variable, "unknown": ", ".join(f"“{c}”" for c in unknown), "allowed": ", ".join(allowed)}
            )
    if problems:
        raise ApplicationError(
            gettext("Unknown in the margins file: %(problems)s.") % {"problems": "; ".join(problems)},
            code="unknown_category",
        )


def _check_policy(unmatched: str) -> None:
    if unmatched not in UNMATCHED_POLICIES:
        raise ApplicationError(f"Choose one of {', '.join(UNMATCHED_POLICIES)} for categories without a target.")


@transaction.atomic
def weighting_scheme_create(
    *, survey: Survey, name: str, targets: dict[str, dict[str, float]], created_by: User | None,
    trim: tuple[float, float] | None = None, unmatched: str = WeightingScheme.Unmatched.EXCLUDE,
    compute_now: bool = False,
) -> WeightingScheme:  # fmt: skip
    """A new scheme for ``survey``; its weights are computed after commit in the background, or with
    ``compute_now`` at once in the caller's transaction (``weighting_scheme_compute``; for bulk loaders such as
    the demo seeder, never for a request). Raises ``ApplicationError`` for bad trimming bounds or an unknown
    ``unmatched`` policy (keep / exclude); ``ConflictError`` ``weighting_scheme_name_used`` when the survey
    already has a scheme of that name in any case (the unique constraint on the survey and lower-cased name
    decides between concurrent requests)."""
    _check_trim(trim)
    _check_policy(unmatched)
    scheme = WeightingScheme(
        organisation_id=survey.organisation_id, survey=survey, name=name.strip()[:120] or "Weights",
        targets=targets, trim_lower=trim[0] if trim else None, trim_upper=trim[1] if trim else None,
        unmatched=unmatched, created_by=created_by,
    )  # fmt: skip
    _save_unique_name(scheme)
    if compute_now:
        return weighting_scheme_compute(scheme=scheme)
    _schedule_compute(scheme)
    return scheme


def weights_tables_analyze() -> list[str]:
    """ANALYZE the table of response weights now, in the caller's transaction (after a bulk load that computed
    weights, such as the demo seeder), so scoped weighted reads are planned on fresh statistics. Returns the table
    names analyzed (``heed.core.statistics.tables_analyze``)."""
    return tables_analyze([ResponseWeight])


def _save_unique_name(scheme: WeightingScheme) -> None:
    _check_name_free(scheme)
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives a lost race
            scheme.save()
    except IntegrityError:
        _check_name_free(scheme)
        raise


def _check_name_free(scheme: WeightingScheme) -> None:
    same = WeightingScheme.objects.filter(survey_id=scheme.survey_id, name__iexact=scheme.name).exclude(pk=scheme.pk)
    if same.exists():
        message = gettext(
            "This survey already has a weighting scheme named %(name)s: replace it or choose another name."
        )
        raise ConflictError(message % {"name": scheme.name}, code="weighting_scheme_name_used")


def _check_trim(trim: tuple[float, float] | None) -> None:
    if trim is not None and not (0 < trim[0] < 1 < trim[1]):
        raise ApplicationError(
            gettext("Trimming bounds must satisfy 0 < lower < 1 < upper (multiples of the mean weight).")
        )


@transaction.atomic
def weighting_scheme_replace(
    *, scheme: WeightingScheme, name: str, targets: dict[str, dict[str, float]],
    trim: tuple[float, float] | None = None, unmatched: str = WeightingScheme.Unmatched.EXCLUDE,
) -> WeightingScheme:  # fmt: skip
    """Give ``scheme`` new margins and settings (same id, so dashboard links keep working) and weigh again after
    commit; the old weights are dropped at once, so no figure mixes old weights with new targets. Raises as
    ``weighting_scheme_create`` does (a new name may not be another scheme's)."""
    _check_trim(trim)
    _check_policy(unmatched)
    scheme = WeightingScheme.objects.select_for_update(no_key=True).get(pk=scheme.pk)  # reviews' marks never wait
    ResponseWeight.objects.filter(scheme=scheme).delete()
    scheme.name = name.strip()[:120] or scheme.name
    scheme.targets = targets
    scheme.trim_lower, scheme.trim_upper = (trim[0], trim[1]) if trim else (None, None)
    scheme.unmatched = unmatched
    scheme.status = WeightingScheme.Status.PENDING
    scheme.diagnostics = {}
    scheme.computed_at = None
    _save_unique_name(scheme)
    _schedule_compute(scheme)
    return scheme


@transaction.atomic
def weighting_scheme_delete(*, scheme: WeightingScheme) -> None:
    """Delete ``scheme`` and its weights (in batches, so a large survey does not build one huge statement)."""
    weights = ResponseWeight.objects.filter(scheme=scheme)
    while ids := list(weights.values_list("id", flat=True)[:10_000]):
        ResponseWeight.objects.filter(id__in=ids).delete()
    scheme.delete()


def _schedule_compute(scheme: WeightingScheme) -> None:
    from heed.analytics.tasks import weighting_scheme_compute_task

    transaction.on_commit(lambda: weighting_scheme_compute_task.delay(scheme.id))


@transaction.atomic
def weighting_scheme_recompute(*, scheme: WeightingScheme) -> WeightingScheme:
    """Weigh the survey's responses again (e.g. to include those submitted since), after commit."""
    scheme.status = WeightingScheme.Status.PENDING
    scheme.save(update_fields=["status"])
    _schedule_compute(scheme)
    return scheme


def weighting_scheme_compute(*, scheme: WeightingScheme) -> WeightingScheme:
    """Rake the survey's counted responses (every review state but rejected, ``filter_spec.COUNTED``) to the
    scheme's targets and store one weight per response; ``diagnostics["responses"]`` is their number.

    Respondents in a category without a target share, or without an answer (shown as ``(no answer)``), are kept
    at their share of the sample or left without weight, as ``scheme.unmatched`` says
    (``heed.stats.weighting.targets_for_sample``). A scheme that cannot be raked is stored as failed with the
    reason in ``diagnostics["error"]``; it never raises.

    Concurrent computations of one scheme (a review queues one while another runs) store only the latest-begun
    result, and delete only the stale marks (``WeightingStaleMark``) they read before reading the responses.
    """
    started = timezone.now()
    marks_seen = list(WeightingStaleMark.objects.filter(scheme_id=scheme.pk).values_list("id", flat=True))
    variables = sorted(scheme.targets)  # one order (PostgreSQL's jsonb reorders keys): the same weights every time
    rows = list(
        responses_unscoped(survey_id=scheme.survey_id)
        .filter(COUNTED)
        .order_by("id")  # one order: raking's float sums, so the weights, are the same at every computation
        .values_list("id", *(WEIGHTING_VARIABLES[v] for v in variables))
    )
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    columns = {v: np.array([row[i + 1] or NO_ANSWER for row in rows], dtype=object) for i, v in enumerate(variables)}
    diagnostics: dict = {"responses": len(rows)}
    try:
        if not rows:
            raise ValueError("the survey has no responses to weight yet")
        known, targets, report = targets_for_sample(columns, scheme.targets, unmatched=scheme.unmatched)
        diagnostics |= {"weighted": int(known.sum()), "unknown": int((~known).sum()), "unmatched": {
            "policy": report.policy, "respondents": report.respondents,
            "categories": {v: {str(c): k for c, k in cats.items()} for v, cats in report.categories.items()},
            "held_shares": {v: {str(c): round(x, 6) for c, x in h.items()} for v, h in report.held_shares.items()},
        }}  # fmt: skip
        if not known.any():
            raise ValueError("no respondent has a category with a target share in every variable")
        lower, upper = scheme.trim_lower, scheme.trim_upper
        result = rake(
            {v: values[known] for v, values in columns.items()}, targets,
            trim=(lower, upper) if lower is not None and upper else None,
        )  # fmt: skip
    except ValueError as error:
        reason = _failure_reason(error, weighting_category_labels(survey=scheme.survey))
        return _computed_store(scheme, started, marks_seen, status=WeightingScheme.Status.FAILED,
                               diagnostics=diagnostics | {"error": reason}, weights=[])  # fmt: skip
    weights = [(int(i), float(w)) for i, w in zip(ids[known], result.weights, strict=True)]
    diagnostics |= {
        "converged": result.converged, "iterations": result.iterations,
        "max_margin_error": result.max_margin_error, "design_effect": result.design_effect,
        "effective_n": result.effective_n, "min_weight": float(result.weights.min()),
        "max_weight": float(result.weights.max()),
    }  # fmt: skip
    return _computed_store(scheme, started, marks_seen, status=WeightingScheme.Status.READY, diagnostics=diagnostics,
                           weights=weights)  # fmt: skip


def _settings(scheme: WeightingScheme) -> tuple:
    return scheme.targets, scheme.unmatched, scheme.trim_lower, scheme.trim_upper


@transaction.atomic
def _computed_store(
    scheme: WeightingScheme, started: dt.datetime, marks_seen: list[int], *, status: str,
    diagnostics: dict, weights: list[tuple[int, float]],
) -> WeightingScheme:  # fmt: skip
    """Store a computation's result under the scheme's row lock, unless the scheme was deleted or replaced, or a
    computation begun later has already stored its own. The lock is ``FOR NO KEY UPDATE``: a review adding a stale
    mark (a row referencing the scheme) never waits for it."""
    current = WeightingScheme.objects.select_for_update(no_key=True).filter(pk=scheme.pk).first()
    if current is None or _settings(current) != _settings(scheme):
        return current or scheme  # deleted or replaced meanwhile: the replacement's own computation writes
    if current.computed_at is not None and current.computed_at > started:
        return current  # a later computation (queued by a review meanwhile) stored fresher weights
    ResponseWeight.objects.filter(scheme=scheme).delete()
    ResponseWeight.objects.bulk_create(
        [ResponseWeight(scheme=scheme, response_id=i, weight=w) for i, w in weights], batch_size=5000
    )
    scheme.status = status
    scheme.diagnostics = diagnostics
    scheme.computed_at = started
    scheme.save(update_fields=["status", "diagnostics", "computed_at"])
    # Marks of reviews committed after this computation read the responses stay, for the computation they queued.
    WeightingStaleMark.objects.filter(id__in=marks_seen).delete()
    return scheme


@transaction.atomic
def weighting_schemes_mark_stale(*, organisation_id: int, survey_ids: Iterable[int]) -> list[int]:
    """Mark the organisation's schemes of ``survey_ids`` as out of date (a ``WeightingStaleMark`` each) in the
    caller's transaction, durable with the change that made them so (a review that rejected, approved again or
    edited responses), and queue their computation after commit (at most once per scheme and few seconds,
    ``heed.core.debounce``; a lost task is found by ``weighting_schemes_reconcile``). Takes no lock the scheme's
    computation holds, and the old weights stay in use until the new ones are stored: neither the review nor any
    figure waits. Returns the ids of the schemes marked."""
    schemes = WeightingScheme.objects.filter(organisation_id=organisation_id, survey_id__in=set(survey_ids))
    ids = list(schemes.order_by("id").values_list("id", flat=True))
    if not ids:
        return []
    WeightingStaleMark.objects.bulk_create([WeightingStaleMark(scheme_id=scheme_id) for scheme_id in ids])

    def queue() -> None:
        from heed.analytics.tasks import weighting_scheme_compute_task

        for scheme_id in ids:
            enqueue_soon(weighting_scheme_compute_task, key=f"weighting:{scheme_id}", args=(scheme_id,),
                         delay=STALE_COMPUTE_DELAY)  # fmt: skip

    transaction.on_commit(queue)
    return ids


def weighting_schemes_stale(*, scheme_ids: Iterable[int]) -> set[int]:
    """The ids among ``scheme_ids`` whose weights are being computed again after a review (a stale mark left)."""
    return set(WeightingStaleMark.objects.filter(scheme_id__in=set(scheme_ids)).values_list("scheme_id", flat=True))


def weighting_category_labels(*, survey: Survey) -> dict[str, dict[str, str]]:
    """Category key -> label per weighting variable that needs the database: answer options (age group, gender,
    region; ``heed.surveys.selectors.option_labels``, in the survey's default language) and unit names by code.
    Channels and languages are labelled by :func:`category_label` without the database."""
    from heed.surveys.selectors import option_labels

    labels = {
        variable: option_labels(organisation_id=survey.organisation_id, survey_id=survey.id, question_type=variable)
        for variable in ("age_group", "gender", "region")
    }
    labels["unit"] = unit_names_by_code(organisation_id=survey.organisation_id)
    return labels


def category_label(labels: dict[str, dict[str, str]], variable: str, category: object) -> str:
    """The label a person reads for ``category`` of ``variable`` (``(no answer)`` reads "no answer")."""
    key = str(category)
    if key == NO_ANSWER:
        return "no answer"
    return labels.get(variable, {}).get(key) or value_label(variable, key)


def _failure_reason(error: ValueError, labels: dict[str, dict[str, str]]) -> str:
    """Why raking failed, in plain words with labels (never a Python repr of the categories)."""
    if not isinstance(error, RakingError):
        return str(error)[:1].upper() + str(error)[1:] + "."
    variable = dimension_label(error.variable)
    names = ", ".join(f"“{category_label(labels, error.variable, c)}”" for c in error.categories)
    several = len(error.categories) > 1
    categories, them, have = ("categories", "them", "have") if several else ("category", "it", "has")
    if error.problem == "no_respondents":
        return (
            f"{variable}: no respondent is in the target {categories} {names}, so the responses cannot be weighted "
            f"to {them}. Remove {them} from the margins, or wait for responses in {them}."
        )
    if error.problem == "no_target":
        return f"{variable}: the {categories} {names} {have} no target share."
    if error.problem == "zero_target":
        return (
            f"{variable}: the {categories} {names} {have} a target share of 0 but respondents; give a share above 0 "
            f"or leave {them} out of the margins."
        )
    return f"{variable}: no respondent is in a category with a target share."


def weighting_scheme_list(*, user: User, survey_id: int | None = None):
    schemes = WeightingScheme.objects.filter(organisation_id=organisation_id_of(user))
    if survey_id is not None:
        schemes = schemes.filter(survey_id=survey_id)
    return schemes


def weighting_scheme_get(*, user: User, scheme_id: int) -> WeightingScheme | None:
    return weighting_scheme_list(user=user).select_related("survey").filter(id=scheme_id).first()


def weighting_unweighted_count(*, user: User, scheme: WeightingScheme, filters=None) -> int:
    """Responses in view that the scheme gives no weight: unknown weighting variables, or submitted after
    the weights were computed (recompute to include them)."""
    from heed.responses.selectors import ResponseFilters, response_queryset

    scoped = (filters or ResponseFilters()).model_copy(update={"survey_id": scheme.survey_id})
    return response_queryset(user=user, filters=scoped).exclude(weights__scheme=scheme).count()


def weighting_scheme_for_survey(*, user: User, scheme_id: int, survey_id: int | None) -> WeightingScheme:
    """The ready scheme ``scheme_id`` for figures of ``survey_id`` (``None``: the scheme's own survey).

    A scheme belongs to one survey: asking for another survey's figures with it raises ``ApplicationError``
    with code ``weighting_survey_mismatch`` (400), never a silent swap of the survey. An id outside the
    organisation raises ``NotFoundError`` (404); a scheme still being computed or failed raises
    ``ApplicationError`` with code ``weighting_not_ready`` (400).
    """
    scheme = weighting_scheme_get(user=user, scheme_id=scheme_id)
    if scheme is None:
        raise NotFoundError("No weighting scheme with that id.")
    if survey_id is not None and survey_id != scheme.survey_id:
        asked = survey_get(organisation=organisation_of(user), survey_id=survey_id)
        other = f"“{asked.title}” (id {survey_id})" if asked else f"survey {survey_id}"
        raise ApplicationError(
            f"The weighting scheme “{scheme.name}” belongs to the survey “{scheme.survey.title}” "
            f"(id {scheme.survey_id}), not to {other}: weights of one survey cannot weigh another. "
            "Choose a scheme of this survey, or leave the survey out to use the scheme's own.",
            code="weighting_survey_mismatch",
            extra={"survey_id": survey_id, "weighting_survey_id": scheme.survey_id},
        )
    if scheme.status != WeightingScheme.Status.READY:
        state = (
            "failed, so it gives no weights; correct its targets and compute it again"
            if scheme.status == WeightingScheme.Status.FAILED
            else "is still being computed; try again when it is ready"
        )
        raise ApplicationError(
            f"The weighting scheme “{scheme.name}” {state}.",
            code="weighting_not_ready",
            extra={"status": scheme.status},
        )
    return scheme


WEIGHTING_GRACE = dt.timedelta(minutes=5)


def weighting_schemes_reconcile(*, now: dt.datetime | None = None) -> int:
    """Queue again the computation of schemes still pending five minutes after they were created, or still
    marked out of date (``WeightingStaleMark``) five minutes after a review (their task was lost with a worker).
    Run periodically; computing a scheme twice gives the same weights. Returns the number queued."""
    from heed.analytics.tasks import weighting_scheme_compute_task

    cutoff = (now or timezone.now()) - WEIGHTING_GRACE
    due = WeightingScheme.objects.filter(
        Q(status=WeightingScheme.Status.PENDING, created_at__lt=cutoff)
        | Q(id__in=WeightingStaleMark.objects.filter(created_at__lt=cutoff).values("scheme_id"))
    )
    ids = list(due.order_by("id").values_list("id", flat=True)[:1000])
    for scheme_id in ids:
        weighting_scheme_compute_task.delay(scheme_id)
    return len(ids)


@dataclass(frozen=True)
class WeightingScope:
    """The weighting rule of a results read: the ready ``scheme`` and the survey the figures are of
    (``survey_from_weighting``: no survey was asked for, so the scheme's own survey is used, and the reader is told)."""

    scheme: WeightingScheme
    survey_id: int
    survey_from_weighting: bool


def weighting_scope(*, user: User, scheme_id: int, survey_id: int | None) -> WeightingScope:
    """The one weighting-to-survey rule, for the dashboard and the API alike: a scheme weighs only its own survey
    (``weighting_scheme_for_survey`` raises ``weighting_survey_mismatch`` for another, ``weighting_not_ready`` for a
    scheme not ready, ``NotFoundError`` outside the organisation); without a survey, the scheme's survey is used."""
    scheme = weighting_scheme_for_survey(user=user, scheme_id=scheme_id, survey_id=survey_id)
    return WeightingScope(scheme=scheme, survey_id=scheme.survey_id, survey_from_weighting=survey_id is None)
