"""Weighting schemes: population targets from a CSV of margins, raked into one weight per response.

The CSV has three columns, ``variable,category,share`` (shares as fractions or percentages), e.g.
``age_group,18-24,0.12``. Variables are respondent fields: age_group, gender, region, language,
channel, and unit (by unit code). Respondents with an unknown value for a weighting variable
cannot be weighted; they are left out of weighted figures and counted in the diagnostics.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict

import numpy as np
from django.db import transaction
from django.utils import timezone

from heed.accounts.models import User
from heed.analytics.models import ResponseWeight, WeightingScheme
from heed.core.errors import ApplicationError
from heed.responses.models import Response
from heed.stats.weighting import rake
from heed.surveys.models import Survey

WEIGHTING_VARIABLES = {
    "age_group": "age_group", "gender": "gender", "region": "region", "language": "language",
    "channel": "channel", "unit": "unit__code",
}  # fmt: skip
MAX_CSV_BYTES = 200_000


def targets_from_csv(text: str) -> dict[str, dict[str, float]]:
    """Parse ``variable,category,share`` rows; percentages (a variable summing to ~100) are accepted."""
    if len(text.encode()) > MAX_CSV_BYTES:
        raise ApplicationError("The margins file is too large (at most 200 kB).")
    targets: dict[str, dict[str, float]] = defaultdict(dict)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    for line_number, row in enumerate(reader, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (line_number == 1 and [c.lower() for c in cells[:3]] == ["variable", "category", "share"]):
            continue
        if len(cells) != 3:
            raise ApplicationError(f"Line {line_number}: expected variable,category,share.")
        variable, category, share = cells
        if variable not in WEIGHTING_VARIABLES:
            raise ApplicationError(
                f"Line {line_number}: unknown variable {variable!r}; use one of {', '.join(WEIGHTING_VARIABLES)}."
            )
        try:
            value = float(share.rstrip("%"))
        except ValueError:
            raise ApplicationError(f"Line {line_number}: share {share!r} is not a number.") from None
        if not np.isfinite(value) or value < 0:
            raise ApplicationError(f"Line {line_number}: a share cannot be negative.")
        if category in targets[variable]:
            raise ApplicationError(f"Line {line_number}: {variable}={category} is given twice.")
        targets[variable][category] = value
    if not targets:
        raise ApplicationError("The margins file has no rows.")
    for variable, shares in targets.items():
        total = sum(shares.values())
        if abs(total - 100) < 0.5:
            targets[variable] = {k: v / 100 for k, v in shares.items()}
        elif abs(total - 1) > 0.005:
            raise ApplicationError(f"The shares of {variable} add up to {total:g}, not 1 (or 100%).")
        else:
            targets[variable] = {k: v / total for k, v in shares.items()}
    return dict(targets)


@transaction.atomic
def weighting_scheme_create(
    *, survey: Survey, name: str, targets: dict[str, dict[str, float]], created_by: User | None,
    trim: tuple[float, float] | None = None,
) -> WeightingScheme:  # fmt: skip
    if trim is not None and not (0 < trim[0] < 1 < trim[1]):
        raise ApplicationError("Trimming bounds must satisfy 0 < lower < 1 < upper (multiples of the mean weight).")
    scheme = WeightingScheme.objects.create(
        organisation_id=survey.organisation_id, survey=survey, name=name.strip()[:120] or "Weights",
        targets=targets, trim_lower=trim[0] if trim else None, trim_upper=trim[1] if trim else None,
        created_by=created_by,
    )  # fmt: skip
    _schedule_compute(scheme)
    return scheme


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
    """Rake the survey's responses to the scheme's targets and store one weight per response."""
    variables = list(scheme.targets)
    rows = list(
        Response.objects.filter(survey_id=scheme.survey_id).values_list(
            "id", *(WEIGHTING_VARIABLES[v] for v in variables)
        )
    )
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    columns = {v: np.array([row[i + 1] or "" for row in rows], dtype=object) for i, v in enumerate(variables)}
    known = np.ones(len(rows), dtype=bool)
    for values in columns.values():
        known &= values != ""
    diagnostics: dict = {"responses": len(rows), "weighted": int(known.sum()), "unknown": int((~known).sum())}
    try:
        result = rake(
            {v: values[known] for v, values in columns.items()}, scheme.targets,
            trim=(scheme.trim_lower, scheme.trim_upper) if scheme.trim_upper else None,
        )  # fmt: skip
    except ValueError as error:
        scheme.status = WeightingScheme.Status.FAILED
        scheme.diagnostics = diagnostics | {"error": str(error)}
        scheme.computed_at = timezone.now()
        scheme.save(update_fields=["status", "diagnostics", "computed_at"])
        return scheme
    with transaction.atomic():
        ResponseWeight.objects.filter(scheme=scheme).delete()
        ResponseWeight.objects.bulk_create(
            [ResponseWeight(scheme=scheme, response_id=int(i), weight=float(w))
             for i, w in zip(ids[known], result.weights, strict=True)],
            batch_size=5000,
        )  # fmt: skip
        scheme.status = WeightingScheme.Status.READY
        scheme.diagnostics = diagnostics | {
            "converged": result.converged, "iterations": result.iterations,
            "max_margin_error": result.max_margin_error, "design_effect": result.design_effect,
            "effective_n": result.effective_n, "min_weight": float(result.weights.min()),
            "max_weight": float(result.weights.max()),
        }  # fmt: skip
        scheme.computed_at = timezone.now()
        scheme.save(update_fields=["status", "diagnostics", "computed_at"])
    return scheme


def weighting_scheme_list(*, user: User, survey_id: int | None = None):
    schemes = WeightingScheme.objects.filter(organisation_id=user.organisation_id)
    if survey_id is not None:
        schemes = schemes.filter(survey_id=survey_id)
    return schemes


def weighting_scheme_get(*, user: User, scheme_id: int) -> WeightingScheme | None:
    return weighting_scheme_list(user=user).filter(id=scheme_id).first()


def weighting_unweighted_count(*, user: User, scheme: WeightingScheme, filters=None) -> int:
    """Responses in view that the scheme gives no weight: unknown weighting variables, or submitted after
    the weights were computed (recompute to include them)."""
    from heed.responses.selectors import ResponseFilters, response_queryset

    scoped = (filters or ResponseFilters()).model_copy(update={"survey_id": scheme.survey_id})
    return response_queryset(user=user, filters=scoped).exclude(weights__scheme=scheme).count()


WEIGHTING_GRACE = dt.timedelta(minutes=5)


def weighting_schemes_reconcile(*, now: dt.datetime | None = None) -> int:
    """Queue again the computation of schemes still pending five minutes after they were created (their task
    was lost with a worker). Run periodically; computing a scheme twice gives the same weights. Returns the
    number queued."""
    from heed.analytics.tasks import weighting_scheme_compute_task

    cutoff = (now or timezone.now()) - WEIGHTING_GRACE
    pending = WeightingScheme.objects.filter(status=WeightingScheme.Status.PENDING, created_at__lt=cutoff)
    ids = list(pending.values_list("id", flat=True)[:1000])
    for scheme_id in ids:
        weighting_scheme_compute_task.delay(scheme_id)
    return len(ids)
