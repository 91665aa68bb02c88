"""The migration that creates the client_key ledger fills it for responses stored before it, with the same
fingerprint that the service computes for the same content (so resending an old response is a replay)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from heed.responses.models import ClientKey, Response
from heed.responses.services import Submission, response_submit
from tests.conftest import VALID_INTERCEPT

BEFORE = [("responses", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_the_ledger_migration_fills_entries_for_existing_keys(world):
    submission = Submission(survey=world.survey, language="en", unit=world.store_a, client_key="old-device:1")
    stored, _ = response_submit(submission=submission, raw_answers=VALID_INTERCEPT)
    response_submit(submission=Submission(survey=world.survey, language="en"), raw_answers=VALID_INTERCEPT)
    expected = ClientKey.objects.get().fingerprint

    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)  # as before the ledger existed: the table is gone
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)  # the data migration runs here

    entry = ClientKey.objects.get()
    assert (entry.key, entry.response_id, entry.survey_id) == ("old-device:1", stored.pk, world.survey.pk)
    assert entry.fingerprint == expected
    again, created = response_submit(submission=submission, raw_answers=VALID_INTERCEPT)
    assert (again.pk, created) == (stored.pk, False)
    assert Response.objects.count() == 2
