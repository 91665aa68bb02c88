"""The surveys' API router (mounted at ``/api/surveys`` by ``heed.api.api``): list and read surveys, publish
a draft, correct a published version's headline metrics.

Publishing calls the same service as the builder page (``distribution.publishing.survey_publish_shared``:
the new version and the survey's default link); the metric mapping calls ``version_metrics_correct``, as
the builder's panel does. Writing needs a role that designs surveys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from heed.accounts import permissions
from heed.api.schemas import ErrorOut
from heed.core.bounds import DbId
from heed.core.errors import NotFoundError
from heed.distribution.publishing import survey_publish_shared
from heed.distribution.services import link_public_url
from heed.responses.headlines import version_metrics_correct
from heed.surveys.selectors import survey_get, survey_latest_version, survey_list, version_definition

if TYPE_CHECKING:
    from heed.surveys.models import Survey

router = Router(tags=["surveys"])


class SurveySummaryOut(Schema):
    id: int
    title: str
    status: str
    default_language: str
    languages: list[str]
    latest_version: int | None


class SurveyDetailOut(SurveySummaryOut):
    definition: dict[str, Any] | None


class ProblemOut(Schema):
    question: str | None = Field(description="key of the question concerned; null for the survey as a whole")
    message: str
    blocking: bool = Field(description="true: publishing is refused until it is fixed; false: advice")


class PublishedOut(Schema):
    survey_id: int
    version: int = Field(description="number of the version just frozen")
    link_id: int = Field(description="the survey's link to share: its first one, a web link made now if it had none")
    link_url: str = Field(description="public address of that link")
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


def _survey_out(survey: Survey, *, with_definition: bool = False) -> dict:
    out = {
        "id": survey.id,
        "title": survey.title,
        "status": survey.status,
        "default_language": survey.default_language,
        "languages": survey.languages,
        "latest_version": survey.latest_version_number,  # type: ignore[attr-defined]  # annotated by survey_list
    }
    if with_definition:
        version = survey_latest_version(survey=survey)
        out["definition"] = version.definition if version else None
    return out


@router.get("", response=list[SurveySummaryOut])
def surveys_list(request: HttpRequest):
    return [_survey_out(s) for s in survey_list(organisation=request.auth.organisation)]  # type: ignore[attr-defined]


@router.get("/{survey_id}", response={200: SurveyDetailOut, 404: ErrorOut})
def surveys_get(request: HttpRequest, survey_id: DbId):
    survey = survey_get(organisation=request.auth.organisation, survey_id=survey_id)  # type: ignore[attr-defined]
    if survey is None:
        raise NotFoundError("No such survey.")
    return _survey_out(survey, with_definition=True)


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
    """Check the draft and freeze it into a new version (as the builder's Publish button does); a survey
    without a link gets a web link, named in the answer with the link to share.

    422 ``survey_not_ready`` lists every blocking problem (missing text in an enabled language, skip
    logic pointing at a later, the same or a missing question, a rating without an answerable scale,
    NPS/CSAT/CES questions of which none counts as a headline metric, ...); 409 ``unchanged`` when
    the draft equals the latest version.
    """
    survey = _designed_survey(request, survey_id)
    publication = survey_publish_shared(survey=survey, actor=request.auth)  # type: ignore[attr-defined]
    return Status(201, {
        "survey_id": survey.id, "version": publication.version.number, "link_id": publication.link.id,
        "link_url": link_public_url(publication.link), "warnings": [p.as_dict() for p in publication.warnings],
    })  # fmt: skip


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
