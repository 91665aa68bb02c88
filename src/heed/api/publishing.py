"""Publishing a survey and correcting a published version's headline metrics, over the API.

Mounted under ``/api/surveys`` by ``heed.api.api``. Both endpoints call the same services as the
builder page (``survey_publish``, ``version_metrics_correct``) and need a role that designs surveys.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from heed.accounts import permissions
from heed.api.schemas import ErrorOut
from heed.core.errors import NotFoundError
from heed.distribution.services import link_ensure_default
from heed.responses.headlines import version_metrics_correct
from heed.surveys.models import Survey
from heed.surveys.selectors import survey_get, version_definition
from heed.surveys.services import survey_publish, survey_publish_check

router = Router(tags=["surveys"])


class ProblemOut(Schema):
    question: str | None = Field(description="key of the question concerned; null for the survey as a whole")
    message: str
    blocking: bool = Field(description="true: publishing is refused until it is fixed; false: advice")


class PublishedOut(Schema):
    survey_id: int
    version: int = Field(description="number of the version just frozen")
    warnings: list[ProblemOut] = Field(description="advice that did not block publishing")


class NotReadyOut(Schema):
    detail: str
    code: str = Field(description="survey_not_ready (or invalid_input when the request breaks the schema)")
    problems: list[ProblemOut] = Field(
        default_factory=list, description="with survey_not_ready: every blocking problem, naming its question"
    )
    errors: dict[str, str] | None = Field(None, description="with invalid_input: the message per invalid field")


class MetricMappingIn(Schema):
    """Question key per headline metric; null reads no question; an omitted metric keeps its mapping."""

    nps: str | None = Field(None, max_length=40)
    csat: str | None = Field(None, max_length=40)
    ces: str | None = Field(None, max_length=40)


class MetricMappingOut(Schema):
    survey_id: int
    version: int
    metrics: dict[str, str] = Field(description="metric -> question key, for the metrics the version counts")
    responses_recomputed: int


def _designed_survey(request: HttpRequest, survey_id: int) -> Survey:
    user = request.auth  # type: ignore[attr-defined]
    permissions.require(permissions.can_design_surveys(user))
    survey = survey_get(organisation=user.organisation, survey_id=survey_id)
    if survey is None:
        raise NotFoundError("No such survey.")
    return survey


@router.post(
    "/{survey_id}/publish",
    response={201: PublishedOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: NotReadyOut},
)
def survey_publish_endpoint(request: HttpRequest, survey_id: int):
    """Check the draft and freeze it into a new version (as the builder's Publish button does).

    422 ``survey_not_ready`` lists every blocking problem (missing text in an enabled language, skip
    logic pointing at a later, the same or a missing question, a rating without an answerable scale,
    NPS/CSAT/CES questions of which none counts as a headline metric, ...); 409 ``unchanged`` when
    the draft equals the latest version.
    """
    survey = _designed_survey(request, survey_id)
    version = survey_publish(survey=survey, actor=request.auth)  # type: ignore[attr-defined]
    link_ensure_default(survey=survey)
    warnings = [p.as_dict() for p in survey_publish_check(survey=survey) if not p.blocking]
    return Status(201, {"survey_id": survey.id, "version": version.number, "warnings": warnings})


@router.post(
    "/{survey_id}/versions/{number}/metrics",
    response={200: MetricMappingOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def version_metrics_endpoint(request: HttpRequest, survey_id: int, number: int, payload: MetricMappingIn):
    """Correct which question each headline metric reads in a published version, and recompute the
    NPS/CSAT/CES of its responses from their stored answers (the dashboard and rollups follow).

    400 ``invalid_metric_mapping`` when a metric names a question that is not of its type.
    """
    survey = _designed_survey(request, survey_id)
    version = survey.versions.filter(number=number).first()
    if version is None:
        raise NotFoundError(f"Survey {survey.id} has no version {number}.")
    mapping = {metric: getattr(payload, metric) for metric in payload.model_fields_set}
    count = version_metrics_correct(version=version, mapping=mapping)
    version.refresh_from_db()
    return {
        "survey_id": survey.id,
        "version": version.number,
        "metrics": version_definition(version).metric_keys(),
        "responses_recomputed": count,
    }
