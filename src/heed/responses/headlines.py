"""Re-deriving the headline scores of collected responses after a version's metric mapping changed.

``response_submit`` copies the answer of the question each metric maps to onto the response
(``nps_score``, ``csat_score``, ``ces_score``; see ``services.headline_fields``). When a version's
mapping was wrong (an NPS question that counted for nothing), correcting it with
``surveys.services.version_metrics_set`` and then ``version_headlines_rederive`` recomputes those
columns from the stored answers, in one UPDATE per metric, and marks the responses' days so the
daily rollups follow (the ``ResponsesRescored`` handlers of ``heed.responses.handlers``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import IntegerField, OuterRef, Subquery
from django.db.models.functions import Cast, TruncDate

from heed.responses.handlers import ResponsesRescored, responses_dispatch
from heed.responses.models import Answer, Response
from heed.surveys.definition import METRICS
from heed.surveys.selectors import version_definition
from heed.surveys.services import version_metrics_set

if TYPE_CHECKING:
    from heed.surveys.models import SurveyVersion


@transaction.atomic
def version_headlines_rederive(*, version: SurveyVersion) -> int:
    """Recompute the headline scores of every response to ``version`` from its answers.

    A metric mapped to a question takes that question's stored answer (NULL where it was not
    answered); a metric mapped to none becomes NULL; a screened-out response keeps no score. Returns the number
    of responses of the version.
    """
    mapping = version_definition(version).metric_keys()
    responses = Response.objects.filter(version=version)
    updates: dict[str, Any] = {}
    for metric in METRICS:
        key = mapping.get(metric)
        if key is None:
            updates[f"{metric}_score"] = None
            continue
        answer = Answer.objects.filter(response=OuterRef("pk"), question_key=key).values("number_value")[:1]
        updates[f"{metric}_score"] = Cast(Subquery(answer), IntegerField())
    count = responses.exclude(outcome=Response.Outcome.SCREENED_OUT).update(**updates)
    count += responses.filter(outcome=Response.Outcome.SCREENED_OUT).count()  # screened out: never a score
    days = responses.annotate(day=TruncDate("submitted_at")).order_by().values_list("day", flat=True).distinct()
    responses_dispatch(ResponsesRescored(survey_id=version.survey_id, days=frozenset(days)))
    return count


@transaction.atomic
def version_metrics_correct(*, version: SurveyVersion, mapping: dict[str, str | None]) -> int:
    """Set a version's metric mapping (``{metric: question key or None}``) and re-derive its responses.

    Raises ApplicationError (code ``invalid_metric_mapping``) for a mapping that names a question of
    another type. Returns the number of responses recomputed.
    """
    version = version_metrics_set(version=version, mapping=mapping)
    return version_headlines_rederive(version=version)
