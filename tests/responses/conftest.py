"""Ten scored responses over two stores (the fixture the metrics tests use too)."""

from tests.api.test_api import scored  # noqa: F401
