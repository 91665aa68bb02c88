"""The data of the interviewer-app browser tests: an organisation speaking en/it, a store, an interviewer assigned
there, and a short bilingual survey whose last question has a compound skip rule."""

from __future__ import annotations

from dataclasses import dataclass

from heed.accounts.models import Role, Unit
from heed.accounts.services import organisation_create, unit_create, user_create
from heed.fieldwork.services import assignment_create
from heed.surveys.services import question_add, survey_create, survey_publish
from tests.integration.test_browser_e2e import PASSWORD

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
WHY_RULE = {"all": [{"question": "visited", "op": "eq", "value": "yes"}, {"question": "nps", "op": "lte", "value": 6}]}


@dataclass
class PwaWorld:
    survey_id: int
    unit_id: int
    interviewer_id: int


def pwa_world() -> PwaWorld:
    org = organisation_create(name="Acme", slug="acme", brand="Acme", languages=["en", "it"], default_language="en")
    store = unit_create(organisation=org, kind=Unit.Kind.STORE, name="Milano", code="S1")
    analyst = user_create(organisation=org, username="ana", password=PASSWORD, role=Role.ANALYST)
    interviewer = user_create(organisation=org, username="ivo", password=PASSWORD, role=Role.INTERVIEWER,
                              units=[store])  # fmt: skip
    survey = survey_create(organisation=org, title="Store visit", created_by=analyst, languages=["en", "it"],
                           default_language="en")  # fmt: skip
    yes_no = [{"value": "yes", "labels": {"en": "Yes", "it": "Sì"}}, {"value": "no", "labels": {"en": "No", "it": "No"}}]
    question_add(survey=survey, data={"key": "visited", "type": "single_choice", "required": True, "options": yes_no,
                                      "texts": {"en": "Did you visit the café?", "it": "Hai visitato il bar?"}})  # fmt: skip
    question_add(survey=survey, data={"key": "nps", "type": "nps", "metric": "nps",
                                      "texts": {"en": "Would you recommend us?", "it": "Ci consiglieresti?"}})  # fmt: skip
    question_add(survey=survey, data={"key": "why", "type": "text", "show_if": WHY_RULE,
                                      "texts": {"en": "What went wrong at the café?", "it": "Cosa non è andato al bar?"}})  # fmt: skip
    survey_publish(survey=survey, actor=analyst)
    assignment_create(actor=analyst, survey=survey, unit=store, interviewer=interviewer, quantity=40)
    return PwaWorld(survey.id, store.id, interviewer.id)


def log_in(page, username: str = "ivo") -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)
