"""Reads for surveys, scoped to the caller's organisation."""

from __future__ import annotations

from django.db.models import Max, QuerySet

from heed.accounts.models import Organisation
from heed.surveys.definition import SurveyDefinition
from heed.surveys.models import Survey, SurveyVersion


def survey_list(*, organisation: Organisation) -> QuerySet[Survey]:
    """The organisation's surveys, each with ``latest_version_number`` (None before the first publish)."""
    return (
        Survey.objects.filter(organisation=organisation)
        .annotate(latest_version_number=Max("versions__number"))
        .order_by("-created_at")
    )


def survey_get(*, organisation: Organisation, survey_id: int) -> Survey | None:
    return survey_list(organisation=organisation).filter(id=survey_id).first()


def survey_latest_version(*, survey: Survey) -> SurveyVersion | None:
    return survey.versions.order_by("-number").first()


def version_definition(version: SurveyVersion) -> SurveyDefinition:
    """The parsed definition of a published version."""
    return SurveyDefinition.model_validate(version.definition)


def survey_with_latest_version(
    *, organisation: Organisation, survey_id: int
) -> tuple[Survey | None, SurveyVersion | None]:
    """(survey, its latest published version) in one query for a published survey; (survey, None) before the
    first publish; (None, None) when the organisation has no such survey."""
    if not 0 < survey_id < 2**63:  # no such id can exist (and the driver would refuse to send it)
        return None, None
    version = (
        SurveyVersion.objects.select_related("survey")
        .filter(survey_id=survey_id, survey__organisation=organisation)
        .order_by("-number")
        .first()
    )
    if version is not None:
        return version.survey, version
    return Survey.objects.filter(organisation=organisation, pk=survey_id).first(), None
