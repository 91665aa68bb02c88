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


def option_labels(
    *, organisation_id: int, language: str | None = None, survey_id: int | None = None,
    question_type: str | None = None, question_key: str | None = None,
) -> dict[str, str]:  # fmt: skip
    """Option value -> label for the questions of a type (``"age_group"``) or with a key (``"did_buy"``).

    Labels come from the published versions' definitions (newest first, so a relabelled option shows
    its current label), in ``language`` (the reader's), else the survey's default language, else the
    value itself. Only ``survey_id``'s versions when given, else all the organisation's surveys.
    Reads the stored JSON without validating it: one query, however many versions.
    """
    versions = SurveyVersion.objects.filter(survey__organisation_id=organisation_id)
    if survey_id is not None:
        versions = versions.filter(survey_id=survey_id)
    labels: dict[str, str] = {}
    for definition in versions.order_by("-published_at", "-id").values_list("definition", flat=True):
        default = definition.get("default_language", "en")
        for question in definition.get("questions", []):
            if question_key is not None and question.get("key") != question_key:
                continue
            if question_type is not None and question.get("type") != question_type:
                continue
            for option in question.get("options") or []:
                value, texts = str(option.get("value", "")), option.get("labels") or {}
                if value and value not in labels:
                    labels[value] = (language and texts.get(language)) or texts.get(default) or value
    return labels
