"""``heed catalogues``: extract the staff interface's strings into the gettext catalogues of every registered
language but English, then compile them to the committed ``.mo`` files.

Extraction is Django's ``makemessages`` (needs GNU gettext's ``xgettext``/``msgmerge``; ``--compile-only``
skips it); compiling uses Babel, so a machine without GNU gettext can rebuild the ``.mo`` files.
tests/core/test_catalogues.py fails when a marked string is missing, untranslated, or not compiled."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.core.management.commands import makemessages

from heed.core import languages

SOURCE = Path(__file__).resolve().parents[3]  # src/heed


class _MakeMessages(makemessages.Command):
    # A new string starts untranslated (the catalogue test names it), never with a fuzzy guess from a similar one.
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]


class Command(BaseCommand):
    help = "Extract and compile the staff interface's gettext catalogues (src/heed/locale)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--compile-only", action="store_true", help="only compile .po to .mo")

    def handle(self, *args: Any, compile_only: bool = False, **options: Any) -> None:
        codes = [code for code in languages.codes() if code != languages.default_code()]
        if not compile_only:
            here = Path.cwd()
            os.chdir(SOURCE)  # makemessages writes to ./locale
            try:
                call_command(_MakeMessages(), locale=codes, no_location=True, no_obsolete=True,
                             ignore_patterns=["migrations/*", "static/*"], verbosity=0)  # fmt: skip
            finally:
                os.chdir(here)
        for code in codes:
            folder = SOURCE / "locale" / code / "LC_MESSAGES"
            with (folder / "django.po").open("rb") as handle:
                catalogue = read_po(handle, locale=code)
            with (folder / "django.mo").open("wb") as handle:
                write_mo(handle, catalogue)
            self.stdout.write(f"{code}: {len(catalogue)} messages")
