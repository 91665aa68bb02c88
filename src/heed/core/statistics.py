"""Planner statistics after bulk loads: ``ANALYZE`` the tables a load filled.

PostgreSQL's autovacuum analyzes a table only after enough changes and some delay; right after a bulk load
(the demo seeder, a large batch, a rollup rebuild) the planner would otherwise plan scoped reads on empty-table
statistics and pick nested loops over tens of thousands of rows. SQLite's planner also uses ``ANALYZE``
results (``sqlite_stat1``). Reference: PostgreSQL 16 manual, "Updating Planner Statistics" (25.1.3).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, models

STALE_SHARE = 0.1  # like autovacuum_analyze_scale_factor: analyze when a tenth of the rows changed since


def _stale_tables(tables: list[str]) -> list[str]:
    """PostgreSQL: the tables whose rows changed by more than STALE_SHARE since their last analyze."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_mod_since_analyze, n_live_tup FROM pg_stat_user_tables WHERE relname = ANY(%s)",
            [tables],
        )
        return [name for name, changed, live in cursor.fetchall() if changed > STALE_SHARE * max(live, 1000)]


def tables_analyze(model_classes: Iterable[type[models.Model]], *, only_if_stale: bool = False) -> list[str]:
    """Run ``ANALYZE`` on the tables of these models (all, or on PostgreSQL only the stale ones).

    Returns the table names analyzed. Both databases accept ANALYZE inside a transaction; it is quick
    (PostgreSQL samples at most 30,000 rows per table at the default statistics target)."""
    tables = [model._meta.db_table for model in model_classes]
    if connection.vendor == "postgresql" and only_if_stale:
        tables = _stale_tables(tables)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return tables
