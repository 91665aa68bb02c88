"""Issue 7, point 22: a bulk load ends with fresh planner statistics (ANALYZE), on both databases."""

import pytest
from django.db import connection

from heed.core.statistics import tables_analyze
from heed.demo.seed import BULK_LOADED_MODELS, seed_demo
from heed.responses.models import Response


def _analyzed(table: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # reltuples is -1 until the table is first analyzed (PostgreSQL 14+)
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return cursor.fetchone()[0] > 0
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db
def test_the_demo_seeder_ends_with_analyze():
    tables = [model._meta.db_table for model in BULK_LOADED_MODELS]
    assert not any(_analyzed(table) for table in tables)
    seed_demo(responses=400, seed=3)
    assert Response.objects.count() == 400
    assert [table for table in tables if not _analyzed(table)] == []


@pytest.mark.django_db
def test_tables_analyze_reports_what_it_analyzed(world):
    assert tables_analyze([Response]) == ["responses_response"]
    if connection.vendor == "postgresql":  # just analyzed, nothing changed since: not stale
        assert tables_analyze([Response], only_if_stale=True) == []
