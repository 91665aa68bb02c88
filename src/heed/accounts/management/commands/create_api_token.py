"""``heed create_api_token USERNAME NAME``: create an API token and print its key once."""

from django.core.management.base import BaseCommand, CommandError

from heed.accounts.models import User
from heed.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token for a user; the key is printed once and only its hash is stored."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name")

    def handle(self, *args, username: str, name: str, **options):
        user = User.objects.filter(username=username, organisation__isnull=False).first()
        if user is None:
            raise CommandError(f"No user {username!r} in an organisation.")
        _token, key = api_token_create(user=user, name=name)
        self.stdout.write(key)
