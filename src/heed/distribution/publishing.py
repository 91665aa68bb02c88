"""Publishing a survey so that it can be shared at once: one service for the builder page and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from heed.distribution.models import SurveyLink
from heed.distribution.services import link_ensure_default
from heed.surveys.publish_checks import PublishProblem
from heed.surveys.services import survey_publish, survey_publish_check

if TYPE_CHECKING:
    from heed.accounts.models import User
    from heed.surveys.models import Survey, SurveyVersion


@dataclass(frozen=True)
class Publication:
    """What publishing made: the frozen version, the survey's link (its first one, created if it had none)
    and the advice that did not block publishing."""

    version: SurveyVersion
    link: SurveyLink
    warnings: list[PublishProblem]


@transaction.atomic
def survey_publish_shared(*, survey: Survey, actor: User | None) -> Publication:
    """Freeze ``survey``'s draft into a new version (``surveys.services.survey_publish``) and make sure the
    survey has a link to share (``link_ensure_default``: a plain web link when it has none), in one
    transaction.

    Raises ``SurveyNotReadyError`` (422 ``survey_not_ready`` with ``problems``) and ``ConflictError``
    (409 ``unchanged``) as ``survey_publish`` does; nothing is stored then."""
    version = survey_publish(survey=survey, actor=actor)
    link = link_ensure_default(survey=survey)
    warnings = [problem for problem in survey_publish_check(survey=survey) if not problem.blocking]
    return Publication(version=version, link=link, warnings=warnings)
