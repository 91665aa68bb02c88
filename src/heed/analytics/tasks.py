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


@shared_task
def analytics_query_run_task(query_json: dict, user_id: int, language: str | None = None) -> str:
    """Compute one expensive analytics query for a user in the language of the page that asked (labels in the
    result) and cache it (``run_query(background=True)`` queued it)."""
    from django.utils import translation

    from heed.accounts.selectors import user_get_active
    from heed.analytics.queries.runner import query_compute_and_store

    user = user_get_active(user_id=user_id)
    if user is None:
        return "missing"
    with translation.override(language):
        return query_compute_and_store(query_json, user=user)
