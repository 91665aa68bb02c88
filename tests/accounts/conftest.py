"""The organisation fixtures the governance tests use too (an admin, a second organisation, an SMTP server)."""

from tests.governance.conftest import admin, other, smtp_inbox  # noqa: F401
