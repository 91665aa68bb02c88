"""Shared fixtures: an organisation with a region, two stores, users of each role, a published survey."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from django.test import Client

from heed.accounts.models import Organisation, Role, Unit, User
from heed.accounts.services import api_token_create, organisation_create, unit_create, user_create
from heed.core.channels import Channel
from heed.distribution.models import SurveyLink
from heed.distribution.services import link_create
from heed.surveys.models import Survey
from heed.surveys.services import survey_create, survey_publish

PASSWORD = "correct-horse-battery"


@dataclass
class World:
    org: Organisation
    region: Unit
    store_a: Unit
    store_b: Unit
    analyst: User
    manager_a: User
    interviewer: User
    survey: Survey
    link_a: SurveyLink
    link_b: SurveyLink


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_eagerly(request):
    """Most tests check what a task does, not how it travels: tasks run in the caller. Tests marked
    ``background_worker`` (or that configure a broker themselves) keep the real queue and a worker."""
    from heed.celery_app import app

    if request.node.get_closest_marker("background_worker"):
        yield
        return
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def suppression_off(monkeypatch) -> None:
    """The arithmetic of small hand-computed groups, read through the API with the small-sample policy's
    suppression switched off (``suppress_below=0``); suppression itself: tests/api/test_suppressed_figures.py."""
    from dataclasses import replace

    from heed.analytics import selectors

    figures = {
        name: (replace(policy, suppress_below=0), digits) for name, (policy, digits) in selectors._FIGURES.items()
    }
    monkeypatch.setattr(selectors, "_FIGURES", figures)


@pytest.fixture
def unsuppressed(monkeypatch):
    suppression_off(monkeypatch)


@pytest.fixture
def world(db) -> World:
    org = organisation_create(
        name="Acme Retail", slug="acme", brand="Acme", languages=["en", "it", "hr"], default_language="en"
    )
    region = unit_create(organisation=org, kind=Unit.Kind.REGION, name="North", code="R1")
    store_a = unit_create(
        organisation=org, kind=Unit.Kind.STORE, name="Milano", code="S1", parent=region, country="it", language="it"
    )
    store_b = unit_create(
        organisation=org, kind=Unit.Kind.STORE, name="Zagreb", code="S2", parent=region, country="hr", language="hr"
    )
    analyst = user_create(organisation=org, username="ana", password=PASSWORD, role=Role.ANALYST)
    manager_a = user_create(
        organisation=org, username="mario", password=PASSWORD, role=Role.UNIT_MANAGER, units=[store_a]
    )
    interviewer = user_create(
        organisation=org, username="ivo", password=PASSWORD, role=Role.INTERVIEWER, units=[store_a]
    )
    survey = survey_create(
        organisation=org,
        title="Store visit",
        created_by=analyst,
        languages=["en", "it", "hr"],
        default_language="en",
        template_key="store_intercept",
    )
    survey_publish(survey=survey, actor=analyst)
    link_a = link_create(survey=survey, channel=Channel.QR, unit=store_a, touchpoint="store")
    link_b = link_create(survey=survey, channel=Channel.WEB, unit=store_b)
    return World(org, region, store_a, store_b, analyst, manager_a, interviewer, survey, link_a, link_b)


def login(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


_TOKEN_NUMBERS = itertools.count(1)


def api_client(user: User) -> Client:
    _token, key = api_token_create(user=user, name=f"test {next(_TOKEN_NUMBERS)}")  # live token names are unique
    return Client(headers={"Authorization": f"Bearer {key}"})


# Answers that satisfy the store_intercept template.
VALID_INTERCEPT = {
    "store_experience": 4,
    "merchandise": 3,
    "staff_behaviour": 5,
    "staff_professionalism": 4,
    "did_buy": "no",
    "why_not_buy": ["price", "queue"],
    "nps": 9,
    "comment": "Great <b>staff</b> & service",
    "age_group": "25-34",
    "gender": "female",
}
