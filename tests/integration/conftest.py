"""Fixtures of the integration tests."""

from tests.integration.background import filesystem_queue  # noqa: F401 (a fixture)
