"""Analytics tasks: thin wrappers around rollup services."""

from celery import shared_task

from heed.analytics.rollups import rollups_refresh


@shared_task
def rollups_refresh_task() -> int:
    """After a response commits, and periodically: recompute every marked day (a lost task leaves its marks)."""
    return rollups_refresh()


@shared_task
def weighting_scheme_compute_task(scheme_id: int) -> str:
    from heed.analytics.models import WeightingScheme
    from heed.analytics.weighting import weighting_scheme_compute

    scheme = WeightingScheme.objects.filter(pk=scheme_id).first()
    return weighting_scheme_compute(scheme=scheme).status if scheme else "missing"


@shared_task
def weighting_schemes_reconcile_task() -> int:
    """Periodic: compute again schemes whose computation was lost (still pending after five minutes)."""
    from heed.analytics.weighting import weighting_schemes_reconcile

    return weighting_schemes_reconcile()
