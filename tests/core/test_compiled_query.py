"""``heed.core.compiled_query.CompiledLookup`` gives exactly what the QuerySet gives (every field, converted as
Django converts it, the related instances cached as ``select_related`` caches them), without compiling the query
again, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from heed.accounts.models import ApiToken, Organisation, User
from heed.accounts.services import api_token_authenticate, api_token_create
from heed.core.compiled_query import CompiledLookup
from heed.surveys.models import Survey, SurveyVersion
from heed.surveys.selectors import survey_with_latest_version


def _fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


USERS = CompiledLookup(
    lambda username: User.objects.select_related("organisation").filter(username=username).order_by("pk")[:1],
    chain=[User, Organisation],
    path=["organisation"],
    stand_ins={"username": "\x00stand-in"},
)


def test_the_same_instances_as_the_queryset_with_the_relation_cached(world):
    User.objects.filter(pk=world.analyst.pk).update(last_login=timezone.now() - dt.timedelta(days=2))
    expected = User.objects.select_related("organisation").get(pk=world.analyst.pk)
    with CaptureQueriesContext(connection) as queries:
        found = USERS.first(username=world.analyst.username)
        organisation = found.organisation  # cached: no query
    assert len(queries) == 1
    assert _fields(found) == _fields(expected) and isinstance(found.last_login, dt.datetime)
    assert found.last_login.tzinfo is not None  # converted as Django converts it (aware, on SQLite too)
    assert _fields(organisation) == _fields(expected.organisation)
    assert organisation.languages == expected.organisation.languages  # a JSON field, decoded
    assert found._state.adding is False and found._state.db == "default"


def test_an_empty_nullable_relation_is_cached_as_none_and_no_row_is_none(world):
    loner = User.objects.create(username="no-org", organisation=None)
    with CaptureQueriesContext(connection) as queries:
        found = USERS.first(username="no-org")
        assert found.organisation is None
    assert (found.pk, len(queries)) == (loner.pk, 1)
    assert USERS.first(username="nobody") is None


def test_a_stand_in_must_name_exactly_one_parameter(world):
    twice = CompiledLookup(
        lambda name: User.objects.filter(username=name, first_name=name).order_by("pk")[:1],
        chain=[User], path=[], stand_ins={"name": "\x00x"},
    )  # fmt: skip
    with pytest.raises(ValueError, match="found 2 times"):
        twice.first(name="ana")
    with pytest.raises(ValueError, match="one related field name per model"):
        CompiledLookup(lambda: User.objects.all(), chain=[User, Organisation], path=[], stand_ins={})


def test_the_token_and_survey_lookups_match_the_orm(world):
    token, key = api_token_create(user=world.analyst, name="t")
    user = api_token_authenticate(key=key)
    assert user is not None and _fields(user) == _fields(User.objects.get(pk=world.analyst.pk))
    assert user.organisation.slug == world.org.slug
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert api_token_authenticate(key=key) is None  # revoked: at once, nothing cached
    survey, version = survey_with_latest_version(organisation=world.org, survey_id=world.survey.id)
    latest = SurveyVersion.objects.filter(survey=world.survey).order_by("-number").first()
    assert _fields(version) == _fields(latest) and _fields(survey) == _fields(Survey.objects.get(pk=world.survey.pk))
    other = Organisation.objects.create(name="Other", slug="other")
    assert survey_with_latest_version(organisation=other, survey_id=world.survey.id) == (None, None)


def test_all_gives_every_instance_in_order(world):
    from heed.fieldwork.models import Quota
    from heed.fieldwork.quota_counting import _SURVEY_QUOTAS
    from heed.fieldwork.services import quota_create

    made = [quota_create(survey=world.survey, name=f"Q{i}", target=5 + i, conditions={"gender": ["female"]})
            for i in range(3)]  # fmt: skip
    found = _SURVEY_QUOTAS.all(survey_id=world.survey.id)
    assert [_fields(q) for q in found] == [_fields(q) for q in Quota.objects.filter(pk__in=[m.pk for m in made])]
    assert found[0].conditions == {"gender": ["female"]}
    assert _SURVEY_QUOTAS.all(survey_id=world.survey.id + 1000) == []


def test_a_shared_definition_follows_the_version_its_metric_mapping_and_its_publication(world):
    from heed.surveys.selectors import version_definition, version_definition_shared
    from heed.surveys.services import version_metrics_set

    version = SurveyVersion.objects.filter(survey=world.survey).order_by("-number").first()
    first = version_definition_shared(version)
    assert first == version_definition(version) and version_definition_shared(version) is first  # parsed once
    nps_key = next(q.key for q in first.questions if q.type == "nps")
    version = version_metrics_set(version=version, mapping={"nps": None})
    changed = version_definition_shared(version)
    assert changed is not first and all(q.metric != "nps" for q in changed.questions)
    assert any(q.key == nps_key and q.metric == "nps" for q in first.questions)  # the shared one was not changed
    # the same id with another publication time (an id reused after a rolled-back transaction) is parsed afresh
    version.published_at = version.published_at + dt.timedelta(microseconds=1)
    assert version_definition_shared(version) is not changed
