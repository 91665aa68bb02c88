"""Fieldwork tasks: thin wrappers that fetch by id and call a service."""

from celery import shared_task

from heed.fieldwork.flagging import pending_flags_check
from heed.fieldwork.services import (
    pending_flags_reconcile,
    site_flags_recompute,
    site_flags_reconcile,
    survey_flags_recompute_marked,
    survey_flags_reconcile,
)


@shared_task
def site_flags_recompute_task(site_id: int) -> int:
    """After ``site_set`` commits: recompute the flags of the interviews at the site's unit (if still marked)."""
    return site_flags_recompute(site_id=site_id)


@shared_task
def site_flags_reconcile_task() -> int:
    """Periodic: recompute the flags of sites whose recomputation was lost (still marked after five minutes)."""
    return site_flags_reconcile()


@shared_task
def survey_flags_recompute_task(survey_id: int) -> int:
    """After ``survey_flags_recompute_request`` commits: recompute the survey's flags (if still marked)."""
    return survey_flags_recompute_marked(survey_id=survey_id)


@shared_task
def survey_flags_reconcile_task() -> int:
    """Periodic: recompute the flags of surveys whose recomputation was lost (still marked after five minutes)."""
    return survey_flags_reconcile()


@shared_task
def interview_flags_check_task(survey_id: int) -> int:
    """After a sync commits: compute the flags of the survey's interviews still pending."""
    return pending_flags_check(survey_id=survey_id)


@shared_task
def pending_flags_reconcile_task() -> int:
    """Periodic: check the flags of interviews whose check was lost (still pending after two minutes)."""
    return pending_flags_reconcile()
