"""Background work of accounts: the invitation e-mail (sent after the invite commits)."""

from __future__ import annotations

from celery import shared_task

from heed.accounts.models import User


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def user_invitation_email_task(user_id: int) -> None:
    """Send the set-password link to a user who has not chosen a password yet (a no-op otherwise)."""
    from heed.accounts.services import user_invitation_email_send

    user = User.objects.filter(pk=user_id, is_active=True).select_related("organisation").first()
    if user is None or user.has_usable_password():
        return
    user_invitation_email_send(user=user)
