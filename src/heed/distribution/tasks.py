"""Background tasks for distribution: thin wrappers that fetch by id and call a service."""

from celery import shared_task

from heed.distribution.models import Invitation
from heed.distribution.services import invitation_email_send, invitation_emails_reconcile


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def invitation_email_send_task(invitation_id: int) -> bool:
    invitation = Invitation.objects.select_related("link__survey__organisation").filter(pk=invitation_id).first()
    if invitation is None:
        return False
    return invitation_email_send(invitation=invitation)


@shared_task
def invitation_emails_reconcile_task() -> int:
    """Periodic: re-queue invitation e-mails that are owed and were never sent."""
    return invitation_emails_reconcile()
