"""Every page form that changes something answers its POST with a redirect (POST/redirect/GET).

So a reload after a successful POST re-reads the page instead of sending the form again: it never
creates a second token, survey, question, link, weighting scheme or theme. Each form has a row in
``FORMS``; ``test_every_page_is_classified`` fails when a new page appears that is neither a tested
form nor a read-only page, so the rule covers forms added later too.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from heed.accounts.models import ApiToken, Role, Unit, User
from heed.accounts.services import user_create
from heed.analytics.models import WeightingScheme
from heed.cati.contacts_csv import Contact
from heed.cati.models import CallCase, CallList
from heed.cati.services import call_cases_add, call_list_create
from heed.distribution.models import Contact as DirectoryContact
from heed.distribution.models import SurveyLink
from heed.fieldwork.models import Assignment, Site
from heed.fieldwork.services import assignment_create
from heed.responses.models import Response, ResponseReview
from heed.responses.services import Submission, response_submit
from heed.surveys.models import Question, Survey, SurveyVersion
from heed.surveys.xlsform_export import survey_xlsform
from heed.textanalytics.models import StaffMember, ThemeDefinition
from tests.conftest import VALID_INTERCEPT, World, login

READ_ONLY_PAGES = {
    "home", "dashboard", "surveys", "survey-preview", "survey-drivers", "survey-xlsform", "link-qr", "respond-thanks",
    "org-audit", "set-password-done", "comments", "theme-progress", "health", "fieldwork-mine",
    "fieldwork-interviewer", "fieldwork-interview",
    # the offline interviewer app: its page, manifest, service worker and session probe take no form
    "fieldwork-app", "fieldwork-app-manifest", "fieldwork-app-worker", "fieldwork-app-session",
}  # fmt: skip
OUTSIDE_THIS_RULE = {"login", "logout", "respond", "set-password"}  # Django's auth views; respondent flow below


@dataclass(frozen=True)
class Form:
    url_name: str
    url: Callable[[World], str]
    data: Callable[[World], dict[str, Any]]
    count: Callable[[World], int]
    grows: bool = True


def _call_list(world: World) -> CallList:
    """A call list callable at any hour with one person on it (the CATI forms act on it)."""
    found = CallList.objects.filter(organisation_id=world.org.id, name="Anytime").first()
    if found is None:
        found = call_list_create(actor=world.analyst, survey=world.survey, name="Anytime", time_zone="Europe/Rome",
                                 calling_hours={"mon-sun": "00:00-24:00"})  # fmt: skip
        call_cases_add(call_list=found, contacts=[Contact(phone="+390649910000")])
    return found


def _assignment(world: World) -> Assignment:
    """An assignment of 10 interviews at store A to the world's interviewer, and a second interviewer to take some."""
    found = Assignment.objects.filter(survey=world.survey, interviewer=world.interviewer).first()
    if found is None:
        user_create(organisation=world.org, username="iva", password=None, role=Role.INTERVIEWER, units=[world.store_a])
        found = assignment_create(actor=world.analyst, survey=world.survey, unit=world.store_a,
                                  interviewer=world.interviewer, quantity=10)  # fmt: skip
    return found


def _question_data(world: World) -> dict[str, Any]:
    return {"form": "question", "key": "visit_reason", "type": "text",
            "text_en": "Why did you come?", "text_it": "Perché?", "text_hr": "Zašto?"}  # fmt: skip


FORMS = [
    Form("tokens", lambda w: "/account/tokens/", lambda w: {"name": "till"},
         lambda w: ApiToken.objects.filter(user=w.analyst).count()),
    Form("survey-new", lambda w: "/surveys/new/",
         lambda w: {"title": "Returns", "languages": ["en"], "default_language": "en", "template": "ces"},
         lambda w: Survey.objects.count()),
    Form("survey-import", lambda w: "/surveys/import/",
         lambda w: {"file": io.BytesIO(survey_xlsform(survey=w.survey).content)}, lambda w: Survey.objects.count()),
    Form("survey-edit", lambda w: f"/surveys/{w.survey.id}/edit/", _question_data,
         lambda w: Question.objects.filter(survey=w.survey).count()),
    Form("survey-settings", lambda w: f"/surveys/{w.survey.id}/settings/",
         lambda w: {"title": "Store visit 2", "languages": ["en", "it", "hr"], "default_language": "en"},
         lambda w: Survey.objects.filter(title="Store visit 2").count()),
    Form("question-action",
         lambda w: f"/surveys/{w.survey.id}/questions/{w.survey.questions.get(key='gender').id}/",
         lambda w: {"action": "up"}, lambda w: w.survey.questions.get(key="gender").position, grows=False),
    Form("survey-publish", lambda w: f"/surveys/{w.survey.id}/publish/", lambda w: {},
         lambda w: SurveyVersion.objects.filter(survey=w.survey).count(), grows=False),
    Form("version-metrics", lambda w: f"/surveys/{w.survey.id}/versions/1/metrics/", lambda w: {"nps": "nps"},
         lambda w: SurveyVersion.objects.filter(survey=w.survey).count(), grows=False),
    Form("survey-links", lambda w: f"/surveys/{w.survey.id}/links/",
         lambda w: {"name": "Till", "channel": "web", "touchpoint": "till"},
         lambda w: SurveyLink.objects.filter(survey=w.survey).count()),
    Form("survey-weighting", lambda w: f"/surveys/{w.survey.id}/weighting/",
         lambda w: {"name": "Age", "margins": "age_group,18-24,0.5\nage_group,25-34,0.5"},
         lambda w: WeightingScheme.objects.filter(survey=w.survey).count()),
    Form("weighting-recompute",
         lambda w: f"/weighting/{WeightingScheme.objects.filter(survey=w.survey).first().id}/recompute/",
         lambda w: {}, lambda w: WeightingScheme.objects.count(), grows=False),
    Form("weighting-delete",
         lambda w: f"/weighting/{WeightingScheme.objects.filter(survey=w.survey).first().id}/delete/",
         lambda w: {}, lambda w: WeightingScheme.objects.filter(survey=w.survey).count(), grows=False),
    Form("token-revoke", lambda w: f"/account/tokens/{ApiToken.objects.filter(user=w.analyst).first().id}/revoke/",
         lambda w: {}, lambda w: ApiToken.objects.filter(revoked_at__isnull=False).count()),
    Form("themes", lambda w: "/themes/", lambda w: {"name": "Queues", "keywords_en": "queue"},
         lambda w: ThemeDefinition.objects.filter(organisation=w.org).count()),
    Form("theme-toggle", lambda w: "/themes/parking/toggle/", lambda w: {},
         lambda w: ThemeDefinition.objects.filter(organisation=w.org, is_active=False).count()),
    Form("profile", lambda w: "/account/settings/", lambda w: {"language": "it"},
         lambda w: User.objects.filter(organisation=w.org, language="it").count()),
    Form("cati-lists", lambda w: "/calls/",
         lambda w: {"name": "Winback", "survey": w.survey.id, "time_zone": "Europe/Rome",
                    "weekday_hours": "09:00-20:00", "max_attempts": 6},
         lambda w: CallList.objects.filter(organisation_id=w.org.id).count()),
    Form("cati-list", lambda w: f"/calls/lists/{_call_list(w).id}/",
         lambda w: {"file": SimpleUploadedFile("people.csv", b"phone\n+39 06 4991 0001\n")},
         lambda w: CallCase.objects.filter(call_list=_call_list(w)).count()),
    Form("contacts", lambda w: "/contacts/",
         lambda w: {"file": SimpleUploadedFile("contacts.csv", b"email,name\nana@example.com,Ana\n")},
         lambda w: DirectoryContact.objects.filter(organisation=w.org).count()),
    Form("cati-next", lambda w: (_call_list(w), "/calls/next/")[1], lambda w: {"action": "next"},
         lambda w: CallCase.objects.filter(held_by__isnull=False).count()),
    Form("fieldwork-supervision", lambda w: "/fieldwork/",
         lambda w: {"action": "assign", "survey": w.survey.id, "unit": w.store_a.id, "interviewer": w.interviewer.id,
                    "quantity": 5},
         lambda w: Assignment.objects.filter(survey=w.survey).count()),
    Form("fieldwork-sites", lambda w: "/fieldwork/sites/",
         lambda w: {"unit": w.store_a.id, "latitude": 45.8131, "longitude": 15.9775, "radius_m": 300,
                    "time_zone": "Europe/Zagreb", "opening_hours": "mon-sat 09:00-20:00"},
         lambda w: Site.objects.filter(unit=w.store_a).count()),
    Form("fieldwork-reassign", lambda w: f"/fieldwork/assignments/{_assignment(w).id}/reassign/",
         lambda w: {"interviewer": User.objects.get(username="iva").id, "quantity": 3},
         lambda w: (_assignment(w), Assignment.objects.filter(survey=w.survey).count())[1]),
    Form("response-detail", lambda w: f"/responses/{Response.objects.filter(survey=w.survey).first().id}/",
         lambda w: {"action": "review", "state": "approved", "comment": "checked"},
         lambda w: ResponseReview.objects.count()),
]  # fmt: skip


def _admin(world: World) -> User:
    return User.objects.get_or_create(
        organisation=world.org, username="root-admin", defaults={"role": Role.ADMIN, "is_active": True}
    )[0]


def _member(world: World) -> StaffMember:
    return StaffMember.objects.get_or_create(organisation=world.org, unit=world.store_a, first_name="Marko")[0]


ORGANISATION_FORMS = [
    Form("org-users", lambda w: "/organisation/", lambda w: {"username": "newbie", "role": "analyst"},
         lambda w: User.objects.filter(organisation=w.org).count()),
    Form("org-user", lambda w: f"/organisation/users/{w.manager_a.id}/",
         lambda w: {"role": "unit_manager", "units": [w.store_b.id]},
         lambda w: User.objects.filter(organisation=w.org).count(), grows=False),
    Form("org-user-active", lambda w: f"/organisation/users/{w.interviewer.id}/active/", lambda w: {"active": "0"},
         lambda w: User.objects.filter(organisation=w.org, is_active=True).count(), grows=False),
    Form("org-user-unlock", lambda w: f"/organisation/users/{w.interviewer.id}/unlock/", lambda w: {},
         lambda w: User.objects.filter(organisation=w.org).count(), grows=False),
    Form("org-units", lambda w: "/organisation/units/",
         lambda w: {"code": "S9", "name": "Split", "kind": "store", "parent": w.region.id},
         lambda w: Unit.objects.filter(organisation=w.org).count()),
    Form("org-unit", lambda w: f"/organisation/units/{w.store_b.id}/", lambda w: {"name": "Zagreb Centar"},
         lambda w: Unit.objects.filter(organisation=w.org).count(), grows=False),
    Form("org-unit-closed", lambda w: f"/organisation/units/{w.store_b.id}/closed/", lambda w: {"closed": "1"},
         lambda w: Unit.objects.filter(organisation=w.org, closed_at__isnull=False).count()),
    Form("org-staff", lambda w: "/organisation/staff/", lambda w: {"first_name": "Ana", "unit": w.store_a.id},
         lambda w: StaffMember.objects.filter(organisation=w.org).count()),
    Form("org-staff-member", lambda w: f"/organisation/staff/{_member(w).id}/",
         lambda w: {"first_name": "Marco", "unit": w.store_a.id},
         lambda w: StaffMember.objects.filter(organisation=w.org).count(), grows=False),
    Form("org-staff-active", lambda w: f"/organisation/staff/{_member(w).id}/active/", lambda w: {"active": "0"},
         lambda w: StaffMember.objects.filter(organisation=w.org, is_active=False).count()),
]  # fmt: skip


@pytest.mark.parametrize("form", ORGANISATION_FORMS, ids=[form.url_name for form in ORGANISATION_FORMS])
def test_an_organisation_form_answers_with_a_redirect_and_a_reload_changes_nothing(
    world, form: Form, django_capture_on_commit_callbacks
):
    admin = _admin(world)
    client = Client()
    client.force_login(admin)
    _member(world)
    before = form.count(world)
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(form.url(world), form.data(world))
    assert posted.status_code in (302, 303), posted.content.decode()[:2000]
    after = form.count(world)
    if form.grows:
        assert after == before + 1
    for _reload in range(2):
        page = client.get(posted["Location"])
        assert page.status_code == 200
        assert form.count(world) == after


def _url_names(patterns: list, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if not str(pattern.pattern).startswith(("api", "admin")):  # the API; Django's admin (PRG itself)
                names |= _url_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_page_is_classified():
    pages = _url_names(get_resolver().url_patterns)
    tested = {form.url_name for form in FORMS + ORGANISATION_FORMS}
    unclassified = pages - tested - READ_ONLY_PAGES - OUTSIDE_THIS_RULE
    assert not unclassified, (
        f"add these pages to FORMS (with a POST/redirect/GET test) or READ_ONLY_PAGES: {unclassified}"
    )


def _prepare(world: World, client: Client) -> None:
    """Things some forms act on: responses to weight, a token, a weighting scheme, a theme switched on."""
    for age_group in ("18-24", "25-34", "18-24", "25-34"):
        response_submit(
            submission=Submission(survey=world.survey, language="en"),
            raw_answers={**VALID_INTERCEPT, "age_group": age_group},
        )
    client.post("/account/tokens/", {"name": "old"})
    client.post(
        f"/surveys/{world.survey.id}/weighting/", {"name": "Old", "margins": "age_group,18-24,0.4\nage_group,25-34,0.6"}
    )
    client.post("/themes/", {"name": "Parking", "keywords_en": "parking"})
    client.post(f"/surveys/{world.survey.id}/edit/", {**_question_data(world), "key": "extra"})


@pytest.mark.parametrize("form", FORMS, ids=[form.url_name for form in FORMS])
def test_a_form_answers_with_a_redirect_and_a_reload_changes_nothing(
    world, form: Form, django_capture_on_commit_callbacks
):
    client = login(world.analyst)
    with django_capture_on_commit_callbacks(execute=True):  # background work (weights) done as after commit
        _prepare(world, client)
    before = form.count(world)
    with django_capture_on_commit_callbacks(execute=True):
        posted = client.post(form.url(world), form.data(world))
    assert posted.status_code in (302, 303), posted.content.decode()[:2000]
    after = form.count(world)
    if form.grows:
        assert after == before + 1
    for _reload in range(2):
        page = client.get(posted["Location"])
        assert page.status_code == 200
        assert form.count(world) == after


def test_a_failed_form_is_shown_again_with_its_errors_and_creates_nothing(world):
    client = login(world.analyst)
    count = SurveyLink.objects.count()
    page = client.post(f"/surveys/{world.survey.id}/links/", {"channel": "carrier-pigeon"})
    assert page.status_code == 422 and 'role="alert"' in page.content.decode()
    assert SurveyLink.objects.count() == count
