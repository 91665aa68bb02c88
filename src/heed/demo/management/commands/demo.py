"""``heed demo``: create the demo organisation (stores in five countries, a year of feedback)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from heed.accounts.selectors import organisation_get_by_slug
from heed.demo.seed import DEMO_SLUG, seed_demo


class Command(BaseCommand):
    help = "Seed a realistic demo organisation with tens of thousands of responses."

    def add_arguments(self, parser):
        parser.add_argument("--responses", type=int, default=60_000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--reset", action="store_true", help="Delete an existing demo organisation first.")
        parser.add_argument("--if-missing", action="store_true", help="Do nothing if the demo already exists.")

    def handle(self, *args, responses: int, seed: int, reset: bool, if_missing: bool, **options):
        call_command("migrate", verbosity=0, interactive=False)
        if organisation_get_by_slug(slug=DEMO_SLUG) is not None:
            if if_missing:
                self.stdout.write("The demo organisation already exists; keeping it.")
                self._print_logins()
                return
            if not reset:
                raise CommandError("The demo organisation already exists; pass --reset to recreate it.")
            from heed.demo.reset import demo_delete

            demo_delete()
        result = seed_demo(responses=responses, seed=seed, progress=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {result['stores']} stores, {result['responses']} responses, "
                f"{result['fieldwork_interviews']} interviews synced from the interviewers' devices."
            )
        )
        self._print_logins()

    def _print_logins(self) -> None:
        from heed.demo.seed import DEMO_PASSWORD
        from heed.demo.users import demo_user_rows

        self.stdout.write(f"Log in at {settings.BASE_URL}/login/ with password '{DEMO_PASSWORD}' as:")
        for username, sees in demo_user_rows():
            self.stdout.write(f"  {username:<14} {sees}")
