"""Response ingestion: headline fields, idempotency, invitations, nothing stored on bad input."""

import datetime as dt

import pytest
from django.utils import timezone

from heed.core.errors import ApplicationError, ConflictError
from heed.distribution.services import invitations_create
from heed.responses.models import Answer, Response
from heed.responses.services import Submission, response_submit
from heed.surveys.answering import SubmissionError
from heed.surveys.services import survey_close
from tests.conftest import VALID_INTERCEPT


def test_submit_stores_answers_headline_scores_demographics_and_timings(world):
    started = timezone.now() - dt.timedelta(seconds=95)
    response, created = response_submit(
        submission=Submission(
            survey=world.survey,
            language="it",
            channel="qr",
            link=world.link_a,
            unit=world.store_a,
            touchpoint="store",
            started_at=started,
        ),
        raw_answers=VALID_INTERCEPT,
    )
    assert created
    assert (response.nps_score, response.csat_score, response.ces_score) == (9, 4, None)
    assert (response.age_group, response.gender) == ("25-34", "female")
    assert (response.channel, response.language, response.unit, response.touchpoint) == (
        "qr",
        "it",
        world.store_a,
        "store",
    )
    assert 94 <= response.duration_seconds <= 100
    answers = {a.question_key: a.value for a in Answer.objects.filter(response=response)}
    assert answers["why_not_buy"] == ["price", "queue"]
    assert answers["did_buy"] == "no" and answers["nps"] == 9.0


def test_same_client_key_never_duplicates(world):
    submission = Submission(survey=world.survey, language="en", client_key="tablet-7:42")
    first, created1 = response_submit(submission=submission, raw_answers=VALID_INTERCEPT)
    again, created2 = response_submit(submission=submission, raw_answers=VALID_INTERCEPT)
    assert (created1, created2) == (True, False)
    assert again.pk == first.pk and again.nps_score == 9
    with pytest.raises(ConflictError) as conflict:  # other content under the same key (issue 7, point 10)
        response_submit(submission=submission, raw_answers=VALID_INTERCEPT | {"nps": 2})
    assert conflict.value.extra == {"response_id": first.pk}
    assert Response.objects.count() == 1
    survey_close(survey=world.survey)  # a late retry after closing still finds its response
    assert response_submit(submission=submission, raw_answers=VALID_INTERCEPT)[0].pk == first.pk


def test_invalid_answers_store_nothing(world):
    with pytest.raises(SubmissionError) as err:
        response_submit(
            submission=Submission(survey=world.survey, language="en"),
            raw_answers=VALID_INTERCEPT | {"nps": 12, "did_buy": None},
        )
    assert set(err.value.errors) == {"nps", "did_buy"}
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_an_invitation_admits_one_response(world):
    (invitation,) = invitations_create(link=world.link_a, recipients=[("eva@example.com", "Eva")], send=False)
    submission = Submission(survey=world.survey, language="en", invitation=invitation, link=world.link_a)
    response_submit(submission=submission, raw_answers=VALID_INTERCEPT)
    invitation.refresh_from_db()
    assert invitation.responded_at is not None
    with pytest.raises(ConflictError, match="already been used"):
        response_submit(submission=submission, raw_answers=VALID_INTERCEPT)
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"language": "de"}, "invalid_language"),
        ({"channel": "pigeon"}, "invalid_channel"),
        ({"submitted_at": "future"}, "invalid_time"),
    ],
)
def test_bad_metadata_is_refused(world, change, code):
    if change.get("submitted_at") == "future":
        change = {"submitted_at": timezone.now() + dt.timedelta(days=1)}
    fields = {"survey": world.survey, "language": "en"} | change
    with pytest.raises(ApplicationError) as err:
        response_submit(submission=Submission(**fields), raw_answers=VALID_INTERCEPT)
    assert err.value.code == code


def test_closed_survey_takes_no_responses(world):
    survey_close(survey=world.survey)
    with pytest.raises(ApplicationError, match="not open"):
        response_submit(submission=Submission(survey=world.survey, language="en"), raw_answers=VALID_INTERCEPT)


def test_a_client_key_cannot_be_reused_for_another_survey(world):
    from heed.surveys.services import survey_create, survey_publish

    other = survey_create(organisation=world.org, title="NPS", created_by=None, template_key="relationship_nps")
    survey_publish(survey=other, actor=None)
    response_submit(
        submission=Submission(survey=world.survey, language="en", client_key="k1"), raw_answers=VALID_INTERCEPT
    )
    with pytest.raises(ConflictError) as err:
        response_submit(submission=Submission(survey=other, language="en", client_key="k1"), raw_answers={"nps": 3})
    assert err.value.code == "client_key_used"
    assert Response.objects.count() == 1
