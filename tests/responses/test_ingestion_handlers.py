"""Issue 8, point 3: one ingestion path whose registered handlers run once per stored batch.

Every way in (the respondent page, POST /api/responses, POST /api/responses/batch, the demo seeder) stores
through ``responses_submit_many``; handlers registered in ``heed.responses.handlers`` run inside the storing
transaction (``in_transaction``) or after its commit (``after_commit``)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from heed.analytics.models import RollupDirtyDay
from heed.demo.calls import PHONE_INTERVIEWS
from heed.demo.fieldwork import FIELDWORK_INTERVIEWS
from heed.demo.seed import seed_demo
from heed.responses import handlers
from heed.responses.handlers import (
    ResponsesDeleted,
    ResponsesReviewed,
    ResponsesStored,
    responses_handler_register,
    responses_handlers,
)
from heed.responses.models import Response
from heed.responses.services import response_delete
from tests.conftest import VALID_INTERCEPT, api_client
from tests.responses.test_respond import ANSWERS, _post


class Recorder:
    """A handler that records each event it gets and whether it ran inside a transaction."""

    def __init__(self) -> None:
        self.calls: list[tuple[object, bool]] = []

    def __call__(self, event) -> None:
        self.calls.append((event, connection.in_atomic_block))

    @property
    def ids(self) -> list[list[int]]:
        return [[r.id for r in event.responses] for event, _inside in self.calls]


@pytest.fixture
def recorders(monkeypatch):
    """An in-transaction and an after-commit recorder registered next to the apps' own handlers."""
    saved = {key: dict(value) for key, value in handlers._handlers.items()}
    monkeypatch.setattr(handlers, "_handlers", saved)
    inside, after = Recorder(), Recorder()
    responses_handler_register(event=ResponsesStored, name="test.inside", phase="in_transaction", handler=inside)
    responses_handler_register(event=ResponsesStored, name="test.after", phase="after_commit", handler=after)
    return inside, after


def test_the_apps_register_their_handlers_explicitly():
    assert set(responses_handlers(ResponsesStored, "in_transaction")) == {
        "analytics.rollup_days", "textanalytics.text_items", "fieldwork.quotas", "fieldwork.interview_records",
        "cati.cases_complete",
    }  # fmt: skip
    assert set(responses_handlers(ResponsesStored, "after_commit")) == {"textanalytics.comments"}
    assert set(responses_handlers(ResponsesDeleted, "in_transaction")) == {
        "analytics.rollup_days",
        "analytics.weighting_schemes",
        "fieldwork.quotas",
    }
    assert "fieldwork.quotas" in responses_handlers(ResponsesReviewed, "in_transaction")


def test_an_unknown_phase_is_refused():
    with pytest.raises(ValueError, match="phase"):
        responses_handler_register(event=ResponsesStored, name="x", phase="later", handler=print)  # type: ignore[arg-type]


def test_a_batch_calls_each_handler_once_inside_and_after_its_transaction(
    world, recorders, django_capture_on_commit_callbacks
):
    inside, after = recorders
    items = [{"survey_id": world.survey.id, "answers": VALID_INTERCEPT | {"nps": i}, "client_key": f"h-{i}"}
             for i in range(3)]  # fmt: skip
    items.append({"survey_id": world.survey.id, "answers": VALID_INTERCEPT | {"nps": 99}})  # invalid: not stored
    with django_capture_on_commit_callbacks(execute=True):
        body = api_client(world.analyst).post("/api/responses/batch", {"items": items},
                                              content_type="application/json").json()  # fmt: skip
    assert body["created"] == 3
    stored = sorted(Response.objects.values_list("id", flat=True))
    assert [sorted(ids) for ids in inside.ids] == [stored]
    assert [inside_block for _event, inside_block in inside.calls] == [True]
    assert [sorted(ids) for ids in after.ids] == [stored]
    event = inside.calls[0][0]
    assert {r.has_text for r in event.responses} == {True}  # VALID_INTERCEPT has a comment
    assert {r.survey_id for r in event.responses} == {world.survey.id}


def test_a_replay_calls_no_handler(world, recorders, django_capture_on_commit_callbacks):
    inside, after = recorders
    client = api_client(world.analyst)
    body = {"survey_id": world.survey.id, "answers": VALID_INTERCEPT, "client_key": "once"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/api/responses", body, content_type="application/json").status_code == 201
        assert client.post("/api/responses", body, content_type="application/json").status_code == 200
    assert len(inside.calls) == len(after.calls) == 1


def test_an_in_transaction_failure_stores_nothing(world, monkeypatch):
    saved = {key: dict(value) for key, value in handlers._handlers.items()}
    monkeypatch.setattr(handlers, "_handlers", saved)

    def broken(_event) -> None:
        raise RuntimeError("quota table unavailable")

    responses_handler_register(event=ResponsesStored, name="test.broken", phase="in_transaction", handler=broken)
    with pytest.raises(RuntimeError):
        api_client(world.analyst).post("/api/responses", {"survey_id": world.survey.id, "answers": VALID_INTERCEPT},
                                       content_type="application/json")  # fmt: skip
    assert not Response.objects.exists()
    assert not RollupDirtyDay.objects.exists()


def test_an_after_commit_failure_keeps_the_response_and_answers_201(
    world, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    saved = {key: dict(value) for key, value in handlers._handlers.items()}
    monkeypatch.setattr(handlers, "_handlers", saved)

    def broken(_event) -> None:
        raise ConnectionError("broker down")

    responses_handler_register(event=ResponsesStored, name="test.broken", phase="after_commit", handler=broken)
    with django_capture_on_commit_callbacks(execute=True):
        body = {"survey_id": world.survey.id, "answers": VALID_INTERCEPT}
        answer = api_client(world.analyst).post("/api/responses", body, content_type="application/json")
    assert answer.status_code == 201
    assert Response.objects.count() == 1
    assert "test.broken failed" in caplog.text


def test_the_respondent_page_goes_through_the_handlers(world, recorders, django_capture_on_commit_callbacks):
    inside, after = recorders
    client = Client()
    url = f"/s/{world.link_a.token}/"
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        for index, (_key, value) in enumerate(ANSWERS):
            _post(client, url, index, value)
    response = Response.objects.get()
    assert inside.ids == [[response.id]] and after.ids == [[response.id]]


def test_deleting_a_response_marks_its_day_through_the_handlers(world):
    answer = api_client(world.analyst).post("/api/responses", {"survey_id": world.survey.id,
                                            "answers": VALID_INTERCEPT}, content_type="application/json")  # fmt: skip
    response = Response.objects.get(pk=answer.json()["id"])
    RollupDirtyDay.objects.all().delete()
    response_delete(response=response, actor=world.analyst)
    assert list(RollupDirtyDay.objects.values_list("survey_id", flat=True)) == [world.survey.id]


def test_the_demo_seeder_stores_through_the_one_path(db, recorders):
    inside, _after = recorders
    seed_demo(responses=300, seed=11)
    seeded = set(Response.objects.values_list("id", flat=True))
    # the demo call list's interviews and its fieldwork devices' interviews go the same way
    assert len(seeded) == 300 + PHONE_INTERVIEWS + FIELDWORK_INTERVIEWS
    assert {i for ids in inside.ids for i in ids} == seeded
