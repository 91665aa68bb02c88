"""``heed unlock_user USERNAME``: lift a log-in lock-out (too many wrong passwords), recorded in the audit log."""

from django.core.management.base import BaseCommand, CommandError

from heed.accounts.models import User
from heed.accounts.services import user_login_unlock


class Command(BaseCommand):
    help = "Let a user locked out after too many failed log-ins log in again (see also `heed axes_reset_ip`)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        cleared = user_login_unlock(actor=None, user=user)
        self.stdout.write(f"{username} can log in again." if cleared else f"{username} was not locked out.")
