"""Issue 7, point 24: POST /api/responses/batch — up to 500 responses, each item's outcome reported."""

from __future__ import annotations

from heed.analytics.selectors import metric_summary
from heed.responses.models import Answer, Response
from tests.conftest import VALID_INTERCEPT, api_client


def _item(world, i: int, **changes) -> dict:
    return {
        "survey_id": world.survey.id,
        "answers": VALID_INTERCEPT | {"nps": i % 11},
        "client_key": f"b-{i}",
    } | changes


def _post(client, items):
    return client.post("/api/responses/batch", {"items": items}, content_type="application/json")


def test_a_batch_reports_each_items_outcome_and_stores_the_valid_ones(world):
    client = api_client(world.analyst)
    assert _post(client, [_item(world, 0)]).status_code == 200
    items = [
        _item(world, 0),  # replayed: same key, same content as before
        _item(world, 0, answers=VALID_INTERCEPT | {"nps": 5}),  # conflict: same key, other content
        _item(world, 1),  # created
        _item(world, 2, answers=VALID_INTERCEPT | {"nps": 11}),  # invalid answer
        _item(world, 3, survey_id=999_999),  # invalid: no such survey
        _item(world, 4, client_key=None),  # created, no key
    ]
    body = _post(client, items).json()
    first_id = Response.objects.get(client_key="b-0").id
    assert {k: body[k] for k in ("created", "replayed", "conflict", "invalid")} == {
        "created": 2, "replayed": 1, "conflict": 1, "invalid": 2
    }  # fmt: skip
    by_index = {item["index"]: item for item in body["items"]}
    assert [by_index[i]["status"] for i in range(6)] == ["replayed", "conflict", "created", "invalid", "invalid",
                                                         "created"]  # fmt: skip
    assert by_index[0]["response_id"] == first_id
    assert by_index[1] == {
        "index": 1, "status": "conflict", "response_id": first_id, "code": "client_key_conflict",
        "detail": "This client_key was already used for a response with other content.", "errors": None,
    }  # fmt: skip
    assert by_index[3]["code"] == "invalid_answers" and set(by_index[3]["errors"]) == {"nps"}
    assert by_index[4]["code"] == "not_found" and by_index[4]["response_id"] is None
    assert Response.objects.count() == 3
    assert Response.objects.get(pk=by_index[2]["response_id"]).nps_score == 1


def test_resending_a_batch_stores_nothing_twice(world):
    client = api_client(world.analyst)
    items = [_item(world, i) for i in range(300)]
    first = _post(client, items).json()
    assert first["created"] == 300
    again = _post(client, items).json()
    assert again["replayed"] == 300 and again["created"] == 0
    assert [i["response_id"] for i in again["items"]] == [i["response_id"] for i in first["items"]]
    assert Response.objects.count() == 300
    assert Answer.objects.filter(question_key="nps").count() == 300
    summary = metric_summary(user=world.analyst, filters=None)
    assert summary.responses == 300


def test_a_batch_has_at_most_500_items_and_is_documented(world):
    client = api_client(world.analyst)
    assert _post(client, [_item(world, i) for i in range(501)]).status_code == 422
    assert _post(client, []).status_code == 422
    assert Response.objects.count() == 0
    operation = client.get("/api/openapi.json").json()["paths"]["/api/responses/batch"]["post"]
    assert {"200", "422"} <= set(operation["responses"])


def test_a_unit_manager_batches_only_for_their_units(world):
    client = api_client(world.manager_a)
    body = _post(client, [_item(world, 1, unit_id=world.store_a.id), _item(world, 2, unit_id=world.store_b.id),
                          _item(world, 3)]).json()  # fmt: skip
    assert [i["status"] for i in body["items"]] == ["created", "invalid", "invalid"]
    assert [i["code"] for i in body["items"][1:]] == ["not_found", "unit_required"]
    assert list(Response.objects.values_list("unit_id", flat=True)) == [world.store_a.id]


def test_a_burst_of_large_batches_queues_one_analyze(db, monkeypatch, django_capture_on_commit_callbacks):
    """Each stored batch of 200 or more asks for fresh planner statistics; a burst of them (a device catching up)
    queues one ANALYZE, due after the burst, not one per batch."""
    from heed.core import debounce
    from heed.core.tasks import tables_analyze_task
    from heed.responses.services import ANALYZE_AFTER_SECONDS, INGESTED_MODELS, statistics_refresh_later

    queued: list[tuple] = []
    monkeypatch.setitem(tables_analyze_task.app.conf, "task_always_eager", False)
    monkeypatch.setattr(tables_analyze_task, "apply_async",
                        lambda args=(), countdown=None: queued.append((args, countdown)))  # fmt: skip
    monkeypatch.setattr(debounce, "_due", {})
    for _batch in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            statistics_refresh_later()
    assert queued == [((INGESTED_MODELS,), ANALYZE_AFTER_SECONDS)]
