"""``heed demo --reset`` removes the demo organisation through each app's ``*_delete_for_organisation`` service:
everything it owns goes, another organisation keeps all of its rows."""

import pytest
from django.core.management import call_command

from heed.accounts.models import Organisation, Unit, User
from heed.accounts.services import organisation_delete
from heed.analytics.models import DailyRollup, WeightingScheme
from heed.demo.fieldwork import FIELDWORK_INTERVIEWS
from heed.demo.reset import demo_delete
from heed.demo.seed import DEMO_SLUG, seed_demo
from heed.distribution.models import SurveyLink
from heed.responses.models import Answer, Response
from heed.responses.services import responses_delete_for_organisation
from heed.surveys.models import Survey
from heed.surveys.services import surveys_delete_for_organisation
from heed.textanalytics.models import TextItem
from tests.conftest import VALID_INTERCEPT


def _rows(organisation_id: int) -> dict[str, int]:
    return {
        "responses": Response.objects.filter(organisation_id=organisation_id).count(),
        "answers": Answer.objects.filter(response__organisation_id=organisation_id).count(),
        "surveys": Survey.objects.filter(organisation_id=organisation_id).count(),
        "links": SurveyLink.objects.filter(survey__organisation_id=organisation_id).count(),
        "rollups": DailyRollup.objects.filter(organisation_id=organisation_id).count(),
        "schemes": WeightingScheme.objects.filter(organisation_id=organisation_id).count(),
        "text items": TextItem.objects.filter(organisation_id=organisation_id).count(),
        "units": Unit.objects.filter(organisation_id=organisation_id).count(),
        "users": User.objects.filter(organisation_id=organisation_id).count(),
    }


@pytest.mark.django_db
def test_demo_delete_removes_the_demo_and_nothing_else(world):
    from heed.responses.services import Submission, response_submit

    response_submit(submission=Submission(survey=world.survey, language="en", link=world.link_a, unit=world.store_a),
                    raw_answers=VALID_INTERCEPT)  # fmt: skip
    others = _rows(world.org.id)
    demo = seed_demo(responses=300, seed=5)["organisation"]
    seeded = _rows(demo.id)
    assert all(seeded.values()), seeded  # the seeder filled every kind of row checked here
    demo_delete()
    assert not Organisation.objects.filter(slug=DEMO_SLUG).exists()
    assert _rows(demo.id) == dict.fromkeys(seeded, 0)
    assert _rows(world.org.id) == others and others["responses"] == 1
    demo_delete()  # nothing left to delete: no error
    call_command("demo", responses=50, seed=5, reset=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    seeded_again = Response.objects.filter(organisation__slug=DEMO_SLUG).exclude(channel="phone")
    assert seeded_again.count() == 50 + FIELDWORK_INTERVIEWS  # and the interviews of the fieldwork devices


@pytest.mark.django_db
def test_the_delete_services_report_what_they_deleted(world):
    from heed.responses.services import Submission, response_submit

    response_submit(submission=Submission(survey=world.survey, language="en", link=world.link_a, unit=world.store_a),
                    raw_answers=VALID_INTERCEPT)  # fmt: skip
    assert responses_delete_for_organisation(organisation_id=world.org.id) == 1
    assert responses_delete_for_organisation(organisation_id=world.org.id) == 0
    assert surveys_delete_for_organisation(organisation_id=world.org.id) == 1
    assert organisation_delete(organisation_id=world.org.id) is True
    assert organisation_delete(organisation_id=world.org.id) is False
    assert not Organisation.objects.filter(pk=world.org.id).exists()
