"""Issue 7, points 16 and 25: no request waits on background work in the default mode (no broker server),
and work whose task was lost is found again by the periodic reconciliation.

The default mode queues tasks as files (kombu's filesystem transport) for a real worker. Each test first
shows the request's effect with no worker running (the work is only queued), then starts a real worker
(tests/integration/background.py) and waits for the work to be done.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from heed.analytics.models import DailyRollup, RollupDirtyDay
from heed.analytics.tasks import rollups_refresh_task
from heed.celery_app import app as celery_app
from heed.distribution.models import Invitation
from heed.distribution.services import invitations_create
from heed.distribution.tasks import invitation_emails_reconcile_task
from heed.responses.models import Answer
from heed.textanalytics.models import TextAnnotation, ThemeDefinition
from heed.textanalytics.services import annotations_pending
from heed.textanalytics.tasks import annotations_reconcile_task
from tests.conftest import VALID_INTERCEPT, api_client, login
from tests.integration.background import wait_until

pytestmark = [pytest.mark.background_worker, pytest.mark.django_db(transaction=True)]


def _post(client, world, *, comment: str, key: str | None = None):
    payload = {"survey_id": world.survey.id, "answers": VALID_INTERCEPT | {"comment": comment}}
    if key:
        payload["client_key"] = key
    return client.post("/api/responses", payload, content_type="application/json")


def _comments(world) -> int:
    return Answer.objects.filter(response__organisation=world.org, question_type="text").exclude(text_value="").count()


def test_a_submission_returns_before_its_work_and_the_worker_does_it(world, filesystem_queue):
    client = api_client(world.analyst)
    response = _post(client, world, comment="The cashier was friendly but the queue was long.")
    assert response.status_code == 201
    # The request stored the response and queued its work; nothing of that work has run.
    assert TextAnnotation.objects.count() == 0
    assert RollupDirtyDay.objects.filter(survey=world.survey).exists()
    assert DailyRollup.objects.count() == 0
    assert len(filesystem_queue.messages()) == 2  # text analysis and rollup refresh

    with filesystem_queue.worker():
        assert wait_until(lambda: TextAnnotation.objects.count() == 1 and not RollupDirtyDay.objects.exists())
    assert DailyRollup.objects.get(survey=world.survey).responses == 1
    assert filesystem_queue.messages() == []


def test_toggling_a_theme_answers_at_once_and_shows_progress(world, filesystem_queue):
    client = api_client(world.analyst)
    for i in range(3):
        assert _post(client, world, comment=f"Prices were too high, visit {i}.").status_code == 201
    with filesystem_queue.worker():
        assert wait_until(lambda: TextAnnotation.objects.count() == 3)
    web = login(world.analyst)
    assert "All 3 comments are read with the current themes." in web.get("/themes/").content.decode()

    theme = ThemeDefinition.objects.filter(organisation=world.org, is_active=True).first()
    response = web.post(f"/themes/{theme.key}/toggle/")
    assert response.status_code == 302
    page = web.get("/themes/").content.decode()
    assert "Re-reading comments: 0 of 3" in page
    assert web.get("/themes/progress/").json() == {
        "done": 0, "total": 3, "finished": False, "text": "Re-reading comments: 0 of 3"
    }  # fmt: skip
    assert len(filesystem_queue.messages()) == 1

    with filesystem_queue.worker():
        assert wait_until(lambda: annotations_pending(organisation=world.org) == (3, 3))
    assert web.get("/themes/progress/").json()["finished"] is True
    assert "All 3 comments are read with the current themes." in web.get("/themes/").content.decode()


def test_reconciliation_finds_work_whose_task_was_lost(world, filesystem_queue):
    """Data committed, task never run (the message is gone, as after kill -9 of a worker holding it)."""
    client = api_client(world.analyst)
    for i in range(4):
        assert _post(client, world, comment=f"Lost comment number {i}, staff were kind.").status_code == 201
    for message in filesystem_queue.messages():
        message.unlink()
    with filesystem_queue.worker():  # a worker with an empty queue does nothing
        assert not wait_until(lambda: TextAnnotation.objects.exists(), timeout=1.5)
        # The periodic tasks (Celery beat sends exactly these) find what is missing.
        annotations_reconcile_task.delay()
        rollups_refresh_task.delay()
        assert wait_until(lambda: TextAnnotation.objects.count() == 4 and not RollupDirtyDay.objects.exists())
    assert set(TextAnnotation.objects.values_list("answer_id", flat=True)) == set(
        Answer.objects.filter(question_type="text").values_list("id", flat=True)
    )
    assert DailyRollup.objects.get(survey=world.survey).responses == 4
    assert annotations_pending(organisation=world.org) == (_comments(world), _comments(world))


def test_reconciliation_sends_invitation_emails_whose_task_was_lost(world, filesystem_queue, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    invitations_create(link=world.link_a, recipients=[("eva@example.com", "Eva"), ("ivo@example.com", "Ivo")])
    invitations_create(link=world.link_a, recipients=[("no-mail@example.com", "")], send=False)
    for message in filesystem_queue.messages():
        message.unlink()
    with filesystem_queue.worker():
        invitation_emails_reconcile_task.delay()  # too early: a task may still be on its way
        assert not wait_until(lambda: len(mail.outbox) > 0, timeout=1.5)
        Invitation.objects.update(created_at=timezone.now() - dt.timedelta(minutes=6))
        invitation_emails_reconcile_task.delay()
        assert wait_until(lambda: len(mail.outbox) == 2)
        invitation_emails_reconcile_task.delay()  # nothing is owed any more: no second e-mail
        assert not wait_until(lambda: len(mail.outbox) > 2, timeout=1.5)
    assert sorted(m.to[0] for m in mail.outbox) == ["eva@example.com", "ivo@example.com"]
    assert not Invitation.objects.filter(email="no-mail@example.com", sent_at__isnull=False).exists()


def test_the_periodic_schedule_names_registered_tasks():
    celery_app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled >= {
        "heed.analytics.tasks.rollups_refresh_task",
        "heed.textanalytics.tasks.annotations_reconcile_task",
        "heed.distribution.tasks.invitation_emails_reconcile_task",
        "heed.analytics.tasks.weighting_schemes_reconcile_task",
        "heed.fieldwork.tasks.site_flags_reconcile_task",
        "heed.fieldwork.tasks.pending_flags_reconcile_task",
    }
    assert scheduled <= set(celery_app.tasks)


def test_reconciliation_computes_weighting_schemes_whose_task_was_lost(world, filesystem_queue):
    from heed.analytics.models import ResponseWeight, WeightingScheme
    from heed.analytics.tasks import weighting_schemes_reconcile_task
    from heed.analytics.weighting import weighting_scheme_create

    client = api_client(world.analyst)
    for i in range(4):
        assert _post(client, world, comment=f"Visit {i}").status_code == 201
    targets = {"age_group": {"25-34": 1.0}}  # every test response is 25-34
    scheme = weighting_scheme_create(survey=world.survey, name="By gender", targets=targets, created_by=world.analyst)
    for message in filesystem_queue.messages():
        message.unlink()  # the computation's task is lost
    WeightingScheme.objects.filter(pk=scheme.pk).update(created_at=timezone.now() - dt.timedelta(minutes=6))
    with filesystem_queue.worker():
        weighting_schemes_reconcile_task.delay()
        assert wait_until(lambda: WeightingScheme.objects.get(pk=scheme.pk).status != "pending")
    scheme.refresh_from_db()
    assert scheme.status == "ready" and scheme.computed_at is not None
    assert ResponseWeight.objects.filter(scheme=scheme).count() == 4


def test_the_weighting_page_shows_a_scheme_being_computed_then_ready(world, filesystem_queue):
    from heed.analytics.models import WeightingScheme
    from heed.analytics.weighting import weighting_scheme_create

    client = api_client(world.analyst)
    for i in range(3):
        assert _post(client, world, comment=f"Visit {i}").status_code == 201
    scheme = weighting_scheme_create(survey=world.survey, name="By age", targets={"age_group": {"25-34": 1.0}},
                                     created_by=world.analyst)  # fmt: skip
    web = login(world.analyst)
    page = web.get(f"/surveys/{world.survey.id}/weighting/").content.decode()
    assert "Being computed" in page and '<meta http-equiv="refresh" content="3">' in page
    with filesystem_queue.worker():
        assert wait_until(lambda: WeightingScheme.objects.get(pk=scheme.pk).status == "ready")
    page = web.get(f"/surveys/{world.survey.id}/weighting/").content.decode()
    assert "Being computed" not in page and 'http-equiv="refresh"' not in page


def test_a_sync_returns_before_its_flags_and_a_real_worker_checks_them(world, filesystem_queue):
    """Issue 10: the device's sync never waits for the data-quality flags; the worker computes them from the
    queued check (a possible-duplicate pair: same interviewer, unit and answers, 4 minutes apart)."""
    from heed.fieldwork.models import Flag, InterviewRecord
    from tests.fieldwork.helpers import sync
    from tests.fieldwork.test_flags_sync import created_ids, timed

    start = timezone.now() - dt.timedelta(days=1)
    pair = [timed(world, start, 300), timed(world, start + dt.timedelta(minutes=4), 300)]
    first, second = created_ids(sync(api_client(world.interviewer), pair, check_flags=False).json())
    assert InterviewRecord.objects.filter(flags_pending=True).count() == 2 and not Flag.objects.exists()
    queued = " ".join(path.read_text() for path in filesystem_queue.messages())
    assert "heed.fieldwork.tasks.interview_flags_check_task" in queued

    with filesystem_queue.worker():
        assert wait_until(lambda: Flag.objects.filter(code="possible_duplicate").count() == 2)
    assert not InterviewRecord.objects.filter(flags_pending=True).exists()
    assert set(Flag.objects.values_list("response_id", flat=True)) == {first, second}
