"""Customer-engagement index of a survey that asks the five engagement questions (the template
``engagement``), per the product brief: satisfaction, buy again, recommend, promise kept, fair solution."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from heed.accounts.selectors import organisation_of
from heed.analytics.drivers import scale_matrix, versions_summary
from heed.core.errors import ApplicationError, NotFoundError
from heed.responses.selectors import ResponseFilters
from heed.stats.cx_indices import ENGAGEMENT_SCALES, engagement_index
from heed.surveys.selectors import question_versions, survey_get, survey_version_get, version_definition

if TYPE_CHECKING:
    from heed.accounts.models import User


def engagement_summary(
    *, user: User, survey_id: int, filters: ResponseFilters | None = None, version: int | None = None
) -> dict[str, Any]:
    """The engagement index of the responses in view. Each item's answers are read only from the published versions
    where it means what it means in ``version`` (default: the latest); ``versions`` says which were pooled."""
    survey = survey_get(organisation=organisation_of(user), survey_id=survey_id)
    if survey is None:
        raise NotFoundError("No such survey.")
    chosen = survey_version_get(survey=survey, number=version)
    keys = list(ENGAGEMENT_SCALES)
    definition = version_definition(chosen) if chosen else None
    missing = [key for key in keys if definition is None or definition.question(key) is None]
    if missing or chosen is None or definition is None:
        raise ApplicationError(
            f"This survey lacks the engagement question(s) {', '.join(missing)}; start from the engagement template.",
            code="not_engagement_survey",
        )
    rescaled = [
        f"{key} ({q.min:g}–{q.max:g}, the index expects {low:g}–{high:g})"
        for key, (low, high) in ENGAGEMENT_SCALES.items()
        if (q := definition.question(key)) is not None and (q.min, q.max) != (low, high)
    ]
    if rescaled:  # the index puts each item on 0-100 by its scale: another scale would mean something else
        raise ApplicationError(
            f"In version {chosen.number} (the version analysed) these engagement items have another scale: "
            f"{', '.join(rescaled)}.",
            code="engagement_scale_changed",
        )
    scoped = (filters or ResponseFilters()).model_copy(update={"survey_id": survey.id})
    pooling = question_versions(survey=survey, keys=keys, version=chosen)
    _ids, matrix = scale_matrix(user=user, filters=scoped, keys=keys, versions=pooling)
    if matrix.shape[0] == 0:
        raise ApplicationError("No responses to these questions yet.", code="no_responses")
    result = engagement_index({key: matrix[:, j] for j, key in enumerate(keys)})
    return {"survey_id": survey.id, "items": keys} | result.as_dict() | {"versions": versions_summary(pooling, chosen)}
