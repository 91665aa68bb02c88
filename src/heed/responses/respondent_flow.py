"""The respondent pages' database work: may this link take a response now, which version is being
answered, and storing the finished response. The pages (``responses.views``) keep only the HTTP and session
side (steps, language, messages); every rule and read here is the one the pages follow.

Links and invitations are distribution's (found by its public selectors); the response is stored by
``responses.services.response_submit`` with the session's idempotency key."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from heed.distribution.selectors import invitation_get_public, link_get_public
from heed.responses.services import Submission, response_submit
from heed.surveys.selectors import survey_latest_version

if TYPE_CHECKING:
    from heed.accounts.models import User
    from heed.distribution.models import Invitation, SurveyLink
    from heed.surveys.models import SurveyVersion


def respondent_target_get(*, kind: str, token: str) -> tuple[SurveyLink, Invitation | None] | None:
    """The link (and invitation) behind a respondent URL: ``kind`` "s" (a shared link, which must be active) or
    "i" (a personal invitation). None when there is no such link or invitation."""
    if kind == "i":
        invitation = invitation_get_public(token=token)
        return None if invitation is None else (invitation.link, invitation)
    link = link_get_public(token=token)
    return None if link is None or not link.is_active else (link, None)


@dataclass(frozen=True)
class Opening:
    """Whether a link takes a response now. ``refusal`` is None when it does, else (respondent string key,
    HTTP status); ``latest`` is the survey's latest published version (None before the first)."""

    latest: SurveyVersion | None
    refusal: tuple[str, int] | None


def respondent_opening(*, link: SurveyLink, invitation: Invitation | None) -> Opening:
    """May ``link`` (and ``invitation``) take a response now: ``survey_closed`` (410) for a survey not
    published (or without a version) or a link of a closed unit; ``already_answered`` (409) for an invitation
    that was answered."""
    survey = link.survey
    latest = survey_latest_version(survey=survey)
    closed_unit = link.unit is not None and link.unit.is_closed  # a closed store takes no new responses
    if survey.status != survey.Status.PUBLISHED or latest is None or closed_unit:
        return Opening(latest, ("survey_closed", 410))
    if invitation is not None and invitation.responded_at is not None:
        return Opening(latest, ("already_answered", 409))
    return Opening(latest, None)


def respondent_version(*, latest: SurveyVersion, version_id: int) -> SurveyVersion:
    """The version a respondent answers: the one their session started with (``version_id``) if it is still a
    version of the survey, else ``latest`` (a version published mid-survey does not change the questions under
    the respondent's feet)."""
    if version_id == latest.id:
        return latest
    return latest.survey.versions.filter(pk=version_id).first() or latest


def respondent_response_submit(
    *,
    link: SurveyLink,
    invitation: Invitation | None,
    version: SurveyVersion,
    language: str,
    answers: dict[str, Any],
    client_key: str,
    started_at: dt.datetime,
    submitted_by: User | None = None,
) -> int:
    """Store a finished web response (its id is returned): channel, unit and touchpoint from the link, the
    invitation marked used.

    ``submitted_by``: the operator of a phone interview run in this flow (None for respondents themselves).
    ``client_key`` is the session's idempotency key (a re-post of the last step stores nothing new). Raises
    ``SubmissionError`` (answers that do not validate against ``version``, per question) and
    ``ApplicationError`` (``invitation_used``, ``unit_closed``, a survey that stopped taking responses)."""
    submission = Submission(
        survey=link.survey,
        version=version,
        language=language,
        channel=link.channel,
        link=link,
        invitation=invitation,
        unit=link.unit,
        touchpoint=link.touchpoint,
        client_key=client_key,
        started_at=started_at,
        submitted_by=submitted_by,
    )
    response, _created = response_submit(submission=submission, raw_answers=answers)
    return response.id
