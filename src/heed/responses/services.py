"""Ingesting responses: validation against the published version, idempotency, one per invitation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from heed.accounts.models import Unit, User
from heed.accounts.services import unit_require_open
from heed.analytics.rollups import local_day, rollup_days_mark
from heed.core.channels import Channel
from heed.core.errors import ApplicationError, ConflictError
from heed.distribution.models import Invitation, SurveyLink
from heed.responses.models import Answer, Response
from heed.surveys.answering import AnswerValue, clean_submission
from heed.surveys.definition import DEMOGRAPHIC_TYPES, SurveyDefinition
from heed.surveys.models import Survey, SurveyVersion
from heed.surveys.selectors import survey_latest_version, version_definition


@dataclass(frozen=True)
class Submission:
    """Everything known about one response besides its answers."""

    survey: Survey
    language: str
    channel: str = Channel.WEB
    link: SurveyLink | None = None
    invitation: Invitation | None = None
    unit: Unit | None = None
    touchpoint: str = ""
    client_key: str | None = None
    started_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None
    submitted_by: User | None = None
    version: SurveyVersion | None = None


def answer_row(response: Response, key: str, qtype: str, value: AnswerValue) -> Answer:
    answer = Answer(response=response, question_key=key, question_type=qtype)
    if isinstance(value, list):
        answer.choice_values = value
    elif isinstance(value, float):
        answer.number_value = value
    else:
        answer.text_value = value
    return answer


def headline_fields(definition: SurveyDefinition, answers: dict[str, AnswerValue]) -> dict[str, Any]:
    """The columns copied onto a response: ``nps_score``/``csat_score``/``ces_score`` from the
    question each metric maps to (``SurveyDefinition.metric_keys``), and age group, gender, region."""
    fields: dict[str, Any] = {}
    for metric, key in definition.metric_keys().items():
        if (value := answers.get(key)) is not None:
            fields[f"{metric}_score"] = int(value)  # type: ignore[arg-type]
    for question in definition.questions:
        value = answers.get(question.key)
        if value is not None and question.type in DEMOGRAPHIC_TYPES and question.type not in fields:
            fields[question.type] = str(value)[:60]
    return fields


def _schedule_text_analysis(organisation_id: int, answers: list[Answer]) -> None:
    """Comments are read by the text-analytics pipeline after commit (in-process unless a broker is set)."""
    text_ids = [answer.id for answer in answers if answer.question_type == "text" and answer.text_value]
    if not text_ids:
        return
    from heed.textanalytics.tasks import annotations_refresh_task

    transaction.on_commit(lambda: annotations_refresh_task.delay(organisation_id, text_ids))


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """Times without a zone are read in the server's time zone (HEED_TIME_ZONE)."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


def _existing_for_key(submission: Submission) -> Response | None:
    """The response already stored under this client_key, if any (a key never moves between surveys)."""
    if not submission.client_key:
        return None
    existing = Response.objects.filter(
        organisation_id=submission.survey.organisation_id, client_key=submission.client_key
    ).first()
    if existing is not None and existing.survey_id != submission.survey.id:
        raise ConflictError(
            "This client_key was already used for a response to another survey.", code="client_key_used"
        )
    return existing


def response_submit(*, submission: Submission, raw_answers: dict[str, Any]) -> tuple[Response, bool]:
    """Validate and store a response. Returns (response, created).

    Resubmitting with the same ``client_key`` returns the stored response and creates nothing; a used
    invitation raises ConflictError. Invalid answers raise ``SubmissionError`` (nothing is stored).
    """
    survey = submission.survey
    if survey.status != Survey.Status.PUBLISHED:
        if (existing := _existing_for_key(submission)) is not None:
            return existing, False
        raise ApplicationError("This survey is not open for responses.", code="survey_closed")
    version = submission.version or survey_latest_version(survey=survey)
    if version is None or version.survey_id != survey.id:
        raise ApplicationError("This survey has no published version.", code="survey_closed")
    definition = version_definition(version)
    if submission.language not in definition.languages:
        raise ApplicationError(
            f"Language {submission.language!r} is not offered by this survey.", code="invalid_language"
        )
    if submission.channel not in Channel.values:
        raise ApplicationError(f"Unknown channel {submission.channel!r}.", code="invalid_channel")
    if submission.unit is not None and submission.unit.organisation_id != survey.organisation_id:
        raise ApplicationError("Unknown unit.", code="invalid_unit")
    unit_require_open(submission.unit)
    if (existing := _existing_for_key(submission)) is not None:
        return existing, False
    answers = clean_submission(definition, raw_answers)
    now = timezone.now()
    submitted_at = _aware(submission.submitted_at) or now
    if submitted_at > now + dt.timedelta(minutes=5):
        raise ApplicationError("submitted_at lies in the future.", code="invalid_time")
    started_at = _aware(submission.started_at)
    if started_at is not None and started_at > submitted_at:
        started_at = None
    try:
        with transaction.atomic():
            response = Response.objects.create(
                organisation_id=survey.organisation_id,
                survey=survey,
                version=version,
                link=submission.link,
                invitation=submission.invitation,
                unit=submission.unit,
                channel=submission.channel,
                language=submission.language,
                touchpoint=submission.touchpoint[:60],
                client_key=submission.client_key or None,
                submitted_by=submission.submitted_by,
                started_at=started_at,
                submitted_at=submitted_at,
                duration_seconds=int((submitted_at - started_at).total_seconds()) if started_at else None,
                **headline_fields(definition, answers),
            )
            types = {q.key: q.type for q in definition.questions}
            stored = Answer.objects.bulk_create(
                [answer_row(response, key, types[key], value) for key, value in answers.items()]
            )
            if submission.invitation is not None:
                Invitation.objects.filter(pk=submission.invitation.pk).update(responded_at=submitted_at)
            rollup_days_mark(survey_id=survey.id, days=[local_day(submitted_at)])
            _schedule_text_analysis(response.organisation_id, stored)
    except IntegrityError:
        if (existing := _existing_for_key(submission)) is not None:
            return existing, False
        if submission.invitation is not None:
            raise ConflictError("This invitation has already been used.", code="invitation_used") from None
        raise
    return response, True


@transaction.atomic
def response_delete(*, response: Response, actor: User | None = None) -> None:
    """Delete a response and its answers (e.g. erasure on request); its day's rollups follow (the day is
    marked in this transaction and recomputed after commit). Recorded in the audit log without content."""
    from heed.governance.services import audit_record

    survey_id, day = response.survey_id, local_day(response.submitted_at)
    snapshot = {"survey": response.survey_id, "submitted_at": response.submitted_at.isoformat(),
                "unit": response.unit_id, "channel": response.channel}  # fmt: skip
    response_id, organisation_id = response.id, response.organisation_id
    response.delete()
    rollup_days_mark(survey_id=survey_id, days=[day])
    audit_record(organisation=organisation_id, actor=actor, action="response.deleted", target_type="response",
                 target_id=response_id, target_label=f"Response {response_id}", before=snapshot)  # fmt: skip
