"""Shared fixtures: an organisation with a region, two stores, users of each role, a published survey.

``world`` is built once for each run of consecutive tests that ask for it inside a rolled-back transaction
(most tests): in an outer transaction opened before the first of them, as Django's ``TestCase.setUpTestData``
does for a class. Each test's own transaction is a savepoint in it, rolled back after the test, and each test
gets its own copy of the objects, so no test sees another's writes. The outer transaction is rolled back
before a test that does not ask for ``world`` or that commits (``transaction=True``, ``live_server``): those
see the database as before. tests/test_shared_world.py checks the isolation.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client, override_settings
from pytest_django.fixtures import validate_django_db

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


FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def _tasks_run_eagerly(request):
    """Most tests check what a task does, not how it travels: tasks run in the caller. Tests marked
    ``background_worker`` (or that configure a broker themselves) keep the real queue and a worker."""
    if request.node.get_closest_marker("background_worker"):
        yield
        return
    with _eager_tasks():
        yield


@contextmanager
def _eager_tasks() -> Iterator[None]:
    from heed.celery_app import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
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
def world(request, db) -> World:
    if _SHARED_WORLD.world is not None and _shares_world(request.node):
        return copy.deepcopy(_SHARED_WORLD.world)  # the test's own objects, as setUpTestData hands them out
    return _world_build()


def _world_build() -> World:
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
    store_visit_classic(survey)
    survey_publish(survey=survey, actor=analyst)
    link_a = link_create(survey=survey, channel=Channel.QR, unit=store_a, touchpoint="store")
    link_b = link_create(survey=survey, channel=Channel.WEB, unit=store_b)
    return World(org, region, store_a, store_b, analyst, manager_a, interviewer, survey, link_a, link_b)


# Fixtures that commit (pytest-django runs these tests as a TransactionTestCase): no outer transaction for them.
_COMMITTING_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences", "django_db_serialized_rollback"}


def _shares_world(item: pytest.Item) -> bool:
    """Whether ``item`` asks for ``world`` and runs inside a transaction that is rolled back."""
    names = set(getattr(item, "fixturenames", ()))
    if "world" not in names or names & _COMMITTING_FIXTURES:
        return False
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return True
    transactional, reset_sequences, _databases, serialized_rollback, _apps = validate_django_db(marker)
    return not (transactional or reset_sequences or serialized_rollback)


class _SharedWorld:
    """The outer transaction holding the ``world`` of the current run of tests that share it."""

    def __init__(self) -> None:
        self.blocker = None  # pytest-django's DjangoDbBlocker, once the test database exists
        self.atomic: transaction.Atomic | None = None
        self.world: World | None = None

    def open(self) -> None:
        if self.atomic is not None or self.blocker is None:
            return
        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            try:
                with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS), _eager_tasks():
                    self.world = _world_build()
            except BaseException:
                self.close()
                raise

    def close(self) -> None:
        if self.atomic is None or self.blocker is None:
            return
        atomic, self.atomic, self.world = self.atomic, None, None
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


_SHARED_WORLD = _SharedWorld()


def _commits(item: pytest.Item) -> bool:
    """Whether ``item`` runs as a TransactionTestCase: what it writes is committed."""
    if set(getattr(item, "fixturenames", ())) & _COMMITTING_FIXTURES:
        return True
    marker = item.get_closest_marker("django_db")
    return marker is not None and any(validate_django_db(marker)[:2])


@pytest.fixture(autouse=True)
def _cache_cleared_after_committing_tests(request, django_db_blocker) -> Iterator[None]:
    """A committing test's cache rows (failed-token throttles, cached results) survive the table flush that ends
    it (the cache table is no model): clear them, so the next test does not inherit, say, a throttled address."""
    yield
    if _commits(request.node):
        from django.core.cache import cache

        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, plus: the shared world's transaction is rolled back before it goes."""
    _SHARED_WORLD.blocker = django_db_blocker
    yield
    _SHARED_WORLD.close()
    _SHARED_WORLD.blocker = None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before a test's fixtures: open the shared world's transaction for a test that shares it (the first
    test of the session builds its own: the test database does not exist yet), roll it back for any other."""
    if _shares_world(item):
        _SHARED_WORLD.open()
    else:
        _SHARED_WORLD.close()


def login(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


_TOKEN_NUMBERS = itertools.count(1)


def api_client(user: User) -> Client:
    _token, key = api_token_create(user=user, name=f"test {next(_TOKEN_NUMBERS)}")  # live token names are unique
    return Client(headers={"Authorization": f"Bearer {key}"})


# The questions the store-intercept template gained with screening and the visitor's profile (issue 10).
STORE_VISIT_ADDED = ("screen_age", "screen_visited", "store_tidiness", "why_not_other", "home_area", "household_size")


def store_visit_classic(survey: Survey) -> None:
    """Remove from a draft made from the store_intercept template the questions it gained in issue 10, so the
    shared ``world`` keeps the step order and rating questions that many respondent-page, driver and flow tests
    count on (the template itself is tested in tests/surveys/test_screening_template.py)."""
    from heed.surveys.services import question_delete

    for question in list(survey.questions.filter(key__in=STORE_VISIT_ADDED).order_by("-position")):
        question_delete(question=question)


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
