"""Text-analytics tasks: thin wrappers that fetch by id and call a service.

Retraining is single-flight per organisation: ``sentiment_model_retrain_request`` queues it only if no
retraining of that organisation is queued or running (an atomic ``cache.add`` claim, released when the task
ends and expiring after the task time limit if its worker died), on its own queue (``retrain``) so that the
minutes a retraining takes never hold up new comments."""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache

from heed.accounts.selectors import organisation_get, organisation_list
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
    organisation = organisation_get(organisation_id=organisation_id)
    if organisation is None:
        return 0
    done = annotations_refresh(organisation=organisation, answer_ids=answer_ids, since_response_id=since_response_id)
    if sentiment_model_retrain_due(organisation=organisation):
        sentiment_model_retrain_request(organisation_id)
    return done


RETRAIN_QUEUE = "retrain"


def _retrain_claim_key(organisation_id: int) -> str:
    return f"heed:retrain:{organisation_id}"


def sentiment_model_retrain_request(organisation_id: int) -> bool:
    """Queue a retraining of the organisation's sentiment model unless one is already queued or running.
    Returns whether it was queued. The claim lasts until the task ends, at most the task time limit plus
    two minutes (a worker killed mid-task leaves it to expire)."""
    if not cache.add(_retrain_claim_key(organisation_id), "claimed", timeout=settings.CELERY_TASK_TIME_LIMIT + 120):
        return False
    sentiment_model_retrain_task.apply_async(args=(organisation_id,), queue=RETRAIN_QUEUE)
    return True


@shared_task
def sentiment_model_retrain_task(organisation_id: int) -> str:
    """Train, then re-read the organisation's comments with the new model. Releases the single-flight claim."""
    try:
        organisation = organisation_get(organisation_id=organisation_id)
        if organisation is None:
            return "missing"
        version = sentiment_model_retrain(organisation=organisation)
        if version is None:
            return "too few labelled comments"
        annotations_refresh(organisation=organisation)
        return version.version
    finally:
        cache.delete(_retrain_claim_key(organisation_id))


@shared_task
def annotations_reconcile_task() -> int:
    """Periodic: comments without a current annotation (a lost or crashed task) are read now; a retraining
    that came due is started."""
    done = annotations_reconcile()
    for organisation in organisation_list(ids=done):
        if sentiment_model_retrain_due(organisation=organisation):
            sentiment_model_retrain_request(organisation.id)
    return sum(done.values())
