"""Analytics tasks: thin wrappers around rollup services."""

from celery import shared_task

from heed.analytics.rollups import rollups_refresh


@shared_task
def rollups_refresh_task() -> int:
    return rollups_refresh()
