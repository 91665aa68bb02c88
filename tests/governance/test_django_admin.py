"""The Django admin is the superuser's read-only window; the one write it offers (deleting a response)
goes through responses.services.response_delete, so the dashboard's figures stay equal to the rows."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from heed.accounts.models import Role, User
from heed.accounts.services import user_create
from heed.analytics.models import DailyRollup
from heed.analytics.rollups import rollups_refresh
from heed.analytics.selectors import metric_rows, metric_summary
from heed.governance.models import AuditEvent
from heed.responses.models import Response
from heed.responses.services import Submission, response_submit
from tests.conftest import PASSWORD, VALID_INTERCEPT, login


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(username="operator", email="op@example.com", password=PASSWORD)


@pytest.fixture
def responses(world) -> list[Response]:
    stored = []
    for score, unit in [(10, world.store_a), (9, world.store_a), (3, world.store_b), (7, world.store_b)]:
        response, _ = response_submit(
            submission=Submission(survey=world.survey, language="en", unit=unit, channel="qr"),
            raw_answers=VALID_INTERCEPT | {"nps": score},
        )
        stored.append(response)
    return stored


def _figures_equal_rows(world) -> int:
    """The dashboard's totals (rollup path by unit, and the summary) against a count of the rows."""
    rows = Response.objects.filter(survey=world.survey)
    by_unit = metric_rows(user=world.analyst, dimension="unit")
    summary = metric_summary(user=world.analyst)
    assert sum(row.responses for row in by_unit) == rows.count()
    assert summary.responses == rows.count()
    assert summary.nps.n == rows.exclude(nps_score=None).count()
    rollups_refresh()  # the worker's turn (reads never write): the changed days were marked, so rollups follow
    assert sum(r.responses for r in DailyRollup.objects.filter(survey=world.survey)) == rows.count()
    return rows.count()


def test_deleting_a_response_in_the_admin_keeps_the_dashboard_equal_to_the_rows(
    world, superuser, responses, django_capture_on_commit_callbacks
):
    assert _figures_equal_rows(world) == 4
    operator = login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        reply = operator.post(f"/admin/responses/response/{responses[0].id}/delete/", {"post": "yes"})
    assert reply.status_code == 302
    assert _figures_equal_rows(world) == 3
    [event] = AuditEvent.objects.filter(action="response.deleted")
    assert (event.actor, event.target_id, event.organisation) == (superuser, str(responses[0].id), world.org)


def test_bulk_delete_action_goes_through_the_service_too(world, superuser, responses):
    # Without running the after-commit refresh: the marked days are read from the responses, so figures are exact.
    operator = login(superuser)
    ids = [responses[1].id, responses[2].id]
    reply = operator.post(
        "/admin/responses/response/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert reply.status_code == 302
    assert _figures_equal_rows(world) == 2
    assert AuditEvent.objects.filter(action="response.deleted").count() == 2


def test_every_model_admin_is_read_only_except_response_deletion(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    assert admin.site._registry, "the admin registers Heed's models"
    for model, model_admin in admin.site._registry.items():
        name = model._meta.label
        assert not model_admin.has_add_permission(request), name
        assert not model_admin.has_change_permission(request), name
        assert model_admin.has_delete_permission(request) == (model is Response), name
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_add_permission(request, None), name
            assert not inline.has_change_permission(request), name
            assert not inline.has_delete_permission(request), name


def test_change_forms_refuse_writes(world, superuser):
    operator = login(superuser)
    reply = operator.post(f"/admin/accounts/unit/{world.store_a.id}/change/", {"name": "Hacked", "code": "S1"})
    assert reply.status_code == 403
    world.store_a.refresh_from_db()
    assert world.store_a.name == "Milano"
    assert operator.post("/admin/accounts/user/add/", {"username": "x"}).status_code == 403


def test_only_superusers_enter_the_django_admin(world, superuser):
    org_admin = user_create(organisation=world.org, username="boss", password=PASSWORD, role=Role.ADMIN)
    for member in (org_admin, world.analyst):
        reply = login(member).get("/admin/")
        assert reply.status_code == 302 and reply["Location"].startswith("/admin/login/")
    assert login(superuser).get("/admin/").status_code == 200
    assert login(superuser).get("/admin/governance/auditevent/").status_code == 200
