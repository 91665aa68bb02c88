"""Text-analytics tasks: thin wrappers that fetch by id and call a service."""

from celery import shared_task

from heed.accounts.models import Organisation
from heed.textanalytics.services import (
    annotations_reconcile,
    annotations_refresh,
    sentiment_model_retrain,
    sentiment_model_retrain_due,
)


@shared_task
def annotations_refresh_task(
    organisation_id: int, answer_ids: list[int] | None = None, since_response_id: int | None = None
) -> int:
    """Annotate unread comments: all of the organisation's, or those of ``answer_ids``, or of the responses
    from ``since_response_id`` on (new responses; what a run started this way misses, the periodic
    reconciliation reads)."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return 0
    done = annotations_refresh(organisation=organisation, answer_ids=answer_ids, since_response_id=since_response_id)
    if sentiment_model_retrain_due(organisation=organisation):
        sentiment_model_retrain_task.delay(organisation_id)
    return done


@shared_task
def sentiment_model_retrain_task(organisation_id: int) -> str:
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        return "missing"
    version = sentiment_model_retrain(organisation=organisation)
    if version is None:
        return "too few labelled comments"
    annotations_refresh(organisation=organisation)
    return version.version


@shared_task
def annotations_reconcile_task() -> int:
    """Periodic: comments without a current annotation (a lost or crashed task) are read now; a retraining
    that came due is started."""
    done = annotations_reconcile()
    for organisation in Organisation.objects.filter(id__in=list(done)):
        if sentiment_model_retrain_due(organisation=organisation):
            sentiment_model_retrain_task.delay(organisation.id)
    return sum(done.values())
