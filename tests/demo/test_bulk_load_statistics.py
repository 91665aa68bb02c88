"""Issue 7, point 22: a bulk load ends with fresh planner statistics (ANALYZE), on both databases.

The check: after the load, the row count the planner knows for each loaded table equals the table's real
row count (PostgreSQL ``pg_class.reltuples``; SQLite ``sqlite_stat1``). ANALYZE of these small tables
reads every row, including the rows of the test's own transaction, so the counts match only if it ran
after the load.
"""

import pytest
from django.db import connection

from heed.analytics.models import DailyRollup, ResponseWeight
from heed.core.statistics import tables_analyze
from heed.demo.calls import PHONE_INTERVIEWS
from heed.demo.fieldwork import FIELDWORK_INTERVIEWS
from heed.demo.seed import seed_demo
from heed.responses.models import Answer, ClientKey, Response
from heed.textanalytics.models import AnnotationTheme, StaffMention, TextAnnotation, TextItem

# The tables the demo seeder fills in bulk (through the apps' services).
BULK_LOADED_MODELS = [Response, Answer, ClientKey, DailyRollup, ResponseWeight, TextItem, TextAnnotation,
                      AnnotationTheme, StaffMention]  # fmt: skip


def _planner_rows(table: str) -> int | None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
            return int(cursor.fetchone()[0])
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        counts = [int(stat.split()[0]) for (stat,) in cursor.fetchall()]
        return max(counts) if counts else None


@pytest.mark.django_db
def test_the_demo_seeder_ends_with_analyze():
    result = seed_demo(responses=400, seed=3)
    # its last step analyzes every bulk-loaded table but the rollups, which their rebuild analyzed
    assert set(result["analyzed"]) == {m._meta.db_table for m in BULK_LOADED_MODELS} - {DailyRollup._meta.db_table}
    # and the demo call list's phone interviews, and the interviews its fieldwork devices synced
    assert Response.objects.count() == 400 + PHONE_INTERVIEWS + FIELDWORK_INTERVIEWS
    loaded = {model._meta.db_table: model.objects.count() for model in BULK_LOADED_MODELS}
    assert (
        loaded["responses_response"] == 400 + PHONE_INTERVIEWS + FIELDWORK_INTERVIEWS
        and loaded["responses_answer"] > 400
    )
    known = {table: _planner_rows(table) for table, rows in loaded.items() if rows}
    assert known == {table: rows for table, rows in loaded.items() if rows}


@pytest.mark.django_db
def test_tables_analyze_reports_what_it_analyzed(world):
    assert tables_analyze([Response]) == ["responses_response"]
    if connection.vendor == "postgresql":  # just analyzed, nothing changed since: not stale
        assert tables_analyze([Response], only_if_stale=True) == []
