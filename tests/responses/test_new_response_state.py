"""A new response as ``responses_submit_many`` hands it back: every field as stored, its related objects already
at hand (built from values in field order, not through Django's keyword path, for speed: same result)."""

import datetime as dt

from django.utils import timezone

from heed.responses.models import Response
from heed.responses.services import Submission, responses_submit_many
from tests.conftest import VALID_INTERCEPT


def test_a_new_response_holds_what_was_stored_and_its_related_objects(world, django_assert_num_queries):
    started = timezone.now() - dt.timedelta(seconds=70)
    submission = Submission(survey=world.survey, language="it", channel="intercept", link=world.link_a,
                            unit=world.store_a, touchpoint="entrance", client_key="tablet-1:1", started_at=started,
                            submitted_by=world.interviewer)  # fmt: skip
    (outcome,) = responses_submit_many(items=[(submission, VALID_INTERCEPT)])
    response = outcome.response
    assert outcome.status == "created" and response is not None and response.pk is not None
    assert not response._state.adding
    stored = Response.objects.get(pk=response.pk)
    for field in Response._meta.concrete_fields:
        assert getattr(response, field.attname) == getattr(stored, field.attname), field.name
    assert (response.nps_score, response.csat_score, response.gender, response.client_key) == (9, 4, "female",
                                                                                             "tablet-1:1")  # fmt: skip
    with django_assert_num_queries(0):
        related = (response.survey, response.version, response.link, response.unit, response.submitted_by,
                   response.invitation)  # fmt: skip
    assert related == (world.survey, stored.version, world.link_a, world.store_a, world.interviewer, None)


def test_the_row_columns_are_the_models_fields_in_order():
    """``Response(pk, *row)`` builds a stored response from its row: the columns must be the model's, in order."""
    from heed.responses.services import RESPONSE_COLUMNS

    assert [field.attname for field in Response._meta.concrete_fields if not field.primary_key] == RESPONSE_COLUMNS


def test_a_batch_outcome_names_its_response_and_a_repeat_in_the_batch_is_a_replay_of_it(world):
    submission = Submission(survey=world.survey, language="en", channel="api", client_key="k-1")
    first, again = responses_submit_many(items=[(submission, VALID_INTERCEPT), (submission, VALID_INTERCEPT)])
    assert (first.status, again.status) == ("created", "replayed")
    assert first.response_id == again.response_id == Response.objects.get(client_key="k-1").pk
    assert again.answers is None and first.answers is not None
    assert first.response is not None and first.response.pk == first.response_id
