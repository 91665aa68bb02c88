"""Issue 7, point 10: one client_key, one content (ODK Central's rule for instance ids).

The same key with the same content is a replay (the stored response, 200); with other content it is a 409
naming the stored response; a key whose response was deleted is a 409; the ledger's unique constraint
decides races (PostgreSQL: two transactions racing one key).
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from heed.core.errors import ConflictError
from heed.responses import services
from heed.responses.fingerprint import submission_fingerprint
from heed.responses.models import Answer, ClientKey, Response
from heed.responses.services import Submission, response_delete, response_submit, responses_submit_many
from tests.concurrency import run_concurrently
from tests.conftest import VALID_INTERCEPT, api_client


def _submission(world, key="tablet-1:1", **changes) -> Submission:
    fields = {"survey": world.survey, "language": "en", "unit": world.store_a, "touchpoint": "checkout"}
    return Submission(client_key=key, **(fields | changes))


def test_the_same_content_is_a_replay_whatever_the_times(world):
    first, created = response_submit(submission=_submission(world), raw_answers=VALID_INTERCEPT)
    later = timezone.now() - dt.timedelta(minutes=1)
    again, created_again = response_submit(
        submission=_submission(world, submitted_at=later, started_at=later - dt.timedelta(minutes=3)),
        raw_answers=VALID_INTERCEPT | {"nps": 9.0},  # the same number written differently
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk and again.submitted_at == first.submitted_at
    assert Response.objects.count() == 1 and ClientKey.objects.get().response_id == first.pk


@pytest.mark.parametrize(
    "changes, answers",
    [
        ({}, {"nps": 3}),
        ({}, {"comment": "Other words"}),
        ({"unit": "store_b"}, {}),
        ({"channel": "kiosk"}, {}),
        ({"language": "it"}, {}),
        ({"touchpoint": "returns"}, {}),
    ],
    ids=["answer", "comment", "unit", "channel", "language", "touchpoint"],
)
def test_other_content_under_a_used_key_is_a_conflict_naming_the_stored_response(world, changes, answers):
    first, _ = response_submit(submission=_submission(world), raw_answers=VALID_INTERCEPT)
    if changes.get("unit") == "store_b":
        changes = {"unit": world.store_b}
    with pytest.raises(ConflictError) as conflict:
        response_submit(submission=_submission(world, **changes), raw_answers=VALID_INTERCEPT | answers)
    assert conflict.value.code == "client_key_conflict"
    assert conflict.value.status_code == 409 and conflict.value.extra == {"response_id": first.pk}
    assert Response.objects.count() == 1


def test_a_deleted_response_resent_is_a_conflict(world):
    first, _ = response_submit(submission=_submission(world), raw_answers=VALID_INTERCEPT)
    response_delete(response=first)
    assert ClientKey.objects.get().response_id is None  # the ledger keeps the key
    with pytest.raises(ConflictError) as conflict:
        response_submit(submission=_submission(world), raw_answers=VALID_INTERCEPT)
    assert conflict.value.code == "client_key_deleted"
    assert Response.objects.count() == 0


def test_the_ledger_is_a_database_constraint(world):
    response_submit(submission=_submission(world), raw_answers=VALID_INTERCEPT)
    entry = ClientKey.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientKey.objects.create(organisation=world.org, key=entry.key, survey=world.survey, fingerprint="x" * 64)


def test_the_fingerprint_covers_exactly_the_documented_content():
    base = {"survey_id": 1, "answers": {"nps": 9, "why": ["a", "b"]}, "unit_id": 2, "channel": "api",
            "language": "en", "touchpoint": ""}  # fmt: skip
    digest = submission_fingerprint(**base)
    assert len(digest) == 64 and digest == submission_fingerprint(
        **(base | {"answers": {"why": ["a", "b"], "nps": 9.0}})
    )
    for change in ({"survey_id": 3}, {"answers": {"nps": 8}}, {"unit_id": None}, {"channel": "web"},
                   {"language": "it"}, {"touchpoint": "x"}, {"answers": {"nps": 9, "why": ["b", "a"]}}):  # fmt: skip
        assert submission_fingerprint(**(base | change)) != digest, change


def test_the_fingerprint_of_given_content_never_changes():
    """Fingerprints are stored in the ledger: a release that changed the digest of the same content would turn
    every resend of an interview stored before it into a conflict. Pinned to the digest computed when written."""
    content = {"survey_id": 7, "answers": {"nps": 9.0, "why": ["price", "queue"], "n": 3, "skip": None,
                                           "comment": "Fila lunga, commessa gentile — ok"},
               "unit_id": None, "channel": "intercept", "language": "it", "touchpoint": ""}  # fmt: skip
    assert submission_fingerprint(**content) == "d91a0f444ced8e0f89d24b5bf0f1927e26a9eb008f592550f984a9c5775a7744"


def test_the_api_follows_the_rule_with_documented_codes(world):
    client = api_client(world.analyst)
    payload = {
        "survey_id": world.survey.id,
        "answers": VALID_INTERCEPT,
        "client_key": "k-7",
        "unit_id": world.store_a.id,
    }
    first = client.post("/api/responses", payload, content_type="application/json")
    again = client.post("/api/responses", payload, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200) and first.json()["id"] == again.json()["id"]
    other = client.post("/api/responses", payload | {"answers": VALID_INTERCEPT | {"nps": 0}},
                        content_type="application/json")  # fmt: skip
    assert other.status_code == 409
    assert other.json() == {
        "detail": "This client_key was already used for a response with other content.",
        "code": "client_key_conflict", "response_id": first.json()["id"],
    }  # fmt: skip
    schema = client.get("/api/openapi.json").json()
    documented = schema["paths"]["/api/responses"]["post"]["responses"]
    assert {"200", "201", "409"} <= set(documented)


def test_a_batch_follows_the_rule_within_itself(world):
    items = [
        (_submission(world, key="a"), VALID_INTERCEPT),
        (_submission(world, key="a"), VALID_INTERCEPT),  # the same again: a replay of the first
        (_submission(world, key="b"), VALID_INTERCEPT),
        (_submission(world, key="b"), VALID_INTERCEPT | {"nps": 1}),  # other content: a conflict
    ]
    outcomes = responses_submit_many(items=items)
    assert [o.status for o in outcomes] == ["created", "replayed", "created", "conflict"]
    assert outcomes[1].response.pk == outcomes[0].response.pk
    assert outcomes[3].error.extra == {"response_id": outcomes[2].response.pk}
    assert Response.objects.count() == 2 and Answer.objects.filter(question_key="nps", number_value=1).count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_content", [True, False], ids=["same-content", "other-content"])
def test_two_transactions_racing_one_key(world, monkeypatch, same_content):
    """Both transactions find no ledger entry before either stores (a single submission does not read it at
    first): the unique constraint makes one of them wait, fail and read the ledger, and it ends as a replay or a
    conflict, never a second response."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE); the race needs PostgreSQL's row-level waits")
    barrier = threading.Barrier(2, timeout=20)
    original = services._store
    local = threading.local()

    def store_after_both_looked(ready):
        if not getattr(local, "waited", False):
            local.waited = True
            barrier.wait()  # both have found no ledger entry for the key
        return original(ready)

    monkeypatch.setattr(services, "_store", store_after_both_looked)
    attempts: list[int] = []
    original_once = services._submit_once

    def counted(items, **options):
        attempts.append(1)
        return original_once(items, **options)

    monkeypatch.setattr(services, "_submit_once", counted)
    answers = [VALID_INTERCEPT, VALID_INTERCEPT if same_content else VALID_INTERCEPT | {"nps": 2}]
    results = run_concurrently(
        lambda index: response_submit(submission=_submission(world, key="race"), raw_answers=answers[index])
    )
    assert Response.objects.filter(client_key="race").count() == 1
    assert len(attempts) == 3  # the loser hit the constraint and read the ledger again
    stored = Response.objects.get(client_key="race")
    created = [r for r in results if isinstance(r, tuple) and r[1]]
    assert len(created) == 1 and created[0][0].pk == stored.pk
    (other,) = [r for r in results if r is not created[0]]
    if same_content:
        assert isinstance(other, tuple) and other == (stored, False)
    else:
        assert isinstance(other, ConflictError) and other.extra == {"response_id": stored.pk}


def test_a_new_single_submission_does_not_read_the_ledger_and_a_used_key_still_follows_the_rule(world):
    """A single submission is stored first and checked by the ledger's unique constraint; when the key was used,
    the rule is decided against the ledger as before: same content a replay, other (even invalid) content 409."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response, created = response_submit(submission=_submission(world, "single-1"), raw_answers=VALID_INTERCEPT)
    assert created
    assert not [
        q for q in queries.captured_queries if q["sql"].startswith("SELECT") and "responses_clientkey" in q["sql"]
    ]
    again, created = response_submit(submission=_submission(world, "single-1"), raw_answers=VALID_INTERCEPT)
    assert (again.id, created) == (response.id, False)
    with pytest.raises(ConflictError) as conflict:
        response_submit(submission=_submission(world, "single-1"), raw_answers={**VALID_INTERCEPT, "nps": 99})
    assert conflict.value.code == "client_key_conflict"
    assert Response.objects.filter(client_key="single-1").count() == 1
