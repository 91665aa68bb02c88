"""``heed create_api_token USERNAME NAME``: create an API token and print its key once."""

from django.core.management.base import BaseCommand, CommandError

from heed.accounts.models import User
from heed.accounts.services import api_token_create
from heed.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create an API token for a user; the key is printed once and only its hash is stored."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        try:
            _token, key = api_token_create(user=user, name=name)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(key)
