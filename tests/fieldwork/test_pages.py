"""Issue 10, points 3-4: the supervisor's fieldwork page (assign, reassign, quotas, overshoot, devices) and the
interviewer's own assignments page."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from heed.accounts.models import Role
from heed.accounts.services import user_create
from heed.fieldwork.models import Assignment, Quota
from heed.fieldwork.selectors import survey_unit_progress
from heed.fieldwork.services import assignment_create, quota_create
from tests.conftest import PASSWORD, VALID_INTERCEPT, api_client, login
from tests.fieldwork.helpers import interview, sync


def test_a_supervisor_assigns_and_reassigns_part_of_a_quantity(world):
    other = user_create(organisation=world.org, username="ema", password=PASSWORD, role=Role.INTERVIEWER,
                        units=[world.store_a])  # fmt: skip
    page = login(world.analyst)
    form = {"action": "assign", "survey": world.survey.id, "unit": world.store_a.id,
            "interviewer": world.interviewer.id, "quantity": 40}  # fmt: skip
    assert page.post("/fieldwork/", form).status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.interviewer_id, assignment.quantity, assignment.created_by_id) == (
        world.interviewer.id, 40, world.analyst.id
    )  # fmt: skip
    sync(api_client(world.interviewer), [interview(world) for _ in range(30)])
    listing = page.get("/fieldwork/").content.decode()
    assert "30/40" in listing and "ivo" in listing
    reassign = f"/fieldwork/assignments/{assignment.id}/reassign/"
    assert "30 of 40 done" in page.get(reassign).content.decode()
    too_many = page.post(reassign, {"interviewer": other.id, "quantity": 11})
    assert too_many.status_code == 200 and "Between 1 and 10" in too_many.content.decode()
    assert page.post(reassign, {"interviewer": other.id, "quantity": 10}).status_code == 302
    assert sorted(Assignment.objects.values_list("interviewer__username", "quantity")) == [("ema", 10), ("ivo", 30)]
    assert survey_unit_progress(survey_id=world.survey.id, unit_id=world.store_a.id) == (30, 40)


def test_a_supervisor_adds_a_quota_and_sees_its_fill_and_overshoot(world):
    page = login(world.analyst)
    form = {"action": "quota", "survey": world.survey.id, "name": "Women <b>", "unit": world.store_a.id,
            "target": 1, "conditions": "gender = female\nage_group = 18-24, 25-34"}  # fmt: skip
    assert page.post("/fieldwork/", form).status_code == 302
    quota = Quota.objects.get()
    assert quota.conditions == {"gender": ["female"], "age_group": ["18-24", "25-34"]} and not quota.count_partials
    woman = VALID_INTERCEPT | {"gender": "female"}
    sync(api_client(world.interviewer), [interview(world, answers=woman), interview(world, answers=woman)])
    html = page.get("/fieldwork/").content.decode()
    assert "Women &lt;b&gt;" in html and "<b>" not in html.split("Quotas")[1].split("Overshoot")[0]
    assert "1/1 (full)" in html and "What is your gender?: Female; What is your age group?: 18-24 or 25-34" in html
    overshoot = html.split('id="overshoot"')[1].split("</table>")[0]
    assert overshoot.count("<tr>") == 2  # the header and the one response beyond the target
    bad = page.post("/fieldwork/", form | {"conditions": "gender female"}, follow=True).content.decode()
    assert "Line 1: write question key = value, value." in bad and Quota.objects.count() == 1
    unknown = page.post("/fieldwork/", form | {"conditions": "shoe = 42"}, follow=True).content.decode()
    assert "The survey has no question" in unknown and Quota.objects.count() == 1


def test_devices_with_unsent_interviews_older_than_a_day_stand_out(world):
    sync(api_client(world.interviewer), [], unsent_count=4,
         oldest_unsent_at=(timezone.now() - dt.timedelta(hours=25)).isoformat())  # fmt: skip
    html = login(world.analyst).get("/fieldwork/").content.decode()
    devices = html.split('id="devices"')[1]
    assert 'class="warning"' in devices and "older than 24 hours" in devices


def test_the_interviewer_sees_their_assignments_and_not_the_supervisor_page(world):
    assignment_create(actor=None, survey=world.survey, unit=world.store_a, interviewer=world.interviewer, quantity=5)
    page = login(world.interviewer)
    mine = page.get("/fieldwork/mine/")
    assert mine.status_code == 200 and "Milano" in mine.content.decode() and "0/5" in mine.content.decode()
    assert page.get("/fieldwork/").status_code == 403
    assert page.post("/fieldwork/", {"action": "quota"}).status_code == 403


def test_a_unit_manager_cannot_reach_another_units_assignment(world):
    elsewhere = user_create(organisation=world.org, username="zoe", password=PASSWORD, role=Role.INTERVIEWER,
                            units=[world.store_b])  # fmt: skip
    assignment = assignment_create(actor=None, survey=world.survey, unit=world.store_b, interviewer=elsewhere)
    quota_create(survey=world.survey, name="Zagreb men", target=3, unit=world.store_b, conditions={"gender": ["male"]})
    page = login(world.manager_a)
    assert page.get(f"/fieldwork/assignments/{assignment.id}/reassign/").status_code == 404
    html = page.get("/fieldwork/").content.decode()
    assert "zoe" not in html.split('id="assignments"')[1].split("</table>")[0] and "Zagreb men" not in html
