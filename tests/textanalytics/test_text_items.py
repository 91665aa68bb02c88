"""Text items: annotations attach to a text item that survey answers feed now and other kinds of text later;
themes, sentiment, staff mentions and masking work on every kind; pages and the API filter by source."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from heed.core.errors import ApplicationError
from heed.responses.handlers import StoredResponse, StoredText
from heed.responses.models import Answer
from heed.responses.selectors import ResponseFilters
from heed.responses.services import Submission, response_submit
from heed.textanalytics.comment_selectors import CommentFilters, TextSource, comment_page
from heed.textanalytics.models import TextAnnotation, TextItem
from heed.textanalytics.selectors import staff_summary, text_source_choices, theme_summary
from heed.textanalytics.services import annotations_pending, annotations_refresh, staff_add
from heed.textanalytics.text_items import NewText, on_responses_created, text_items_add, text_items_from_answers
from tests.conftest import api_client, login

RUDE = "Marko at the till was rude and the queue was endless. Call me on +385 91 234 5678."
KIND = "Ivana was lovely, the shop was spotless."


def _comment(world, text, nps, *, unit, language="en"):
    answers = {"store_experience": 3, "did_buy": "yes", "nps": nps, "comment": text}
    response, _ = response_submit(submission=Submission(survey=world.survey, language=language, unit=unit),
                                  raw_answers=answers)  # fmt: skip
    return response


@pytest.fixture
def commented(world):
    staff_add(unit=world.store_a, first_name="Marko")
    staff_add(unit=world.store_a, first_name="Ivana")
    first = _comment(world, RUDE, 2, unit=world.store_a)
    second = _comment(world, KIND, 10, unit=world.store_a)
    annotations_refresh(organisation=world.org)
    return SimpleNamespace(world=world, responses=[first, second])


def test_a_survey_answer_feeds_a_text_item_and_its_annotation_attaches_to_it(commented):
    world = commented.world
    answer = Answer.objects.get(response=commented.responses[0], question_type="text")
    item = TextItem.objects.get(answer=answer)
    assert (item.source, item.source_ref, item.unit_id, item.language, item.text) == (
        "survey_answer", f"answer:{answer.id}", world.store_a.id, "en", RUDE
    )  # fmt: skip
    assert item.created_at == commented.responses[0].submitted_at
    annotation = TextAnnotation.objects.get(item=item)
    assert annotation.answer_id == answer.id and annotation.sentiment == "negative"
    assert TextItem.objects.count() == 2 and annotations_pending(organisation=world.org) == (2, 2)
    assert text_items_from_answers(organisation_id=world.org.id) == 0  # idempotent


def test_storing_a_response_creates_the_items_of_its_texts_in_the_same_transaction(world):
    response = _comment(world, KIND, 9, unit=world.store_b)
    silent = _comment(world, "", 9, unit=world.store_b)  # no comment: nothing to read
    item = TextItem.objects.get()
    answer = Answer.objects.get(response=response, question_type="text")
    assert (item.answer_id, item.unit_id, item.language, item.text) == (answer.id, world.store_b.id, "en", KIND)
    assert not TextItem.objects.filter(answer__response=silent).exists()
    assert annotations_pending(organisation=world.org) == (0, 1)


def test_the_handler_writes_items_from_the_event_without_reading_the_answers(world, django_assert_num_queries):
    response = _comment(world, KIND, 9, unit=world.store_b)
    answer = Answer.objects.get(response=response, question_type="text")
    TextItem.objects.all().delete()
    event = SimpleNamespace(responses=[
        StoredResponse(id=response.id, organisation_id=world.org.id, survey_id=world.survey.id,
                       unit_id=world.store_b.id, submitted_at=response.submitted_at, language="it",
                       texts=(StoredText(answer_id=answer.id, question_key="comment", text=KIND),)),
        StoredResponse(id=response.id, organisation_id=world.org.id, survey_id=world.survey.id, unit_id=None,
                       submitted_at=response.submitted_at),
    ])  # fmt: skip
    with django_assert_num_queries(1):  # one insert
        on_responses_created(event)
    item = TextItem.objects.get()
    assert (item.answer_id, item.source_ref, item.language) == (answer.id, f"answer:{answer.id}", "it")


def test_every_kind_of_text_is_read_themes_sentiment_staff_and_masking(commented, django_capture_on_commit_callbacks):
    world = commented.world
    with django_capture_on_commit_callbacks(execute=True) as queued:
        created = text_items_add(organisation_id=world.org.id, source="complaint", texts=[
            NewText(source_ref="complaint:7", text=RUDE, created_at=timezone.now() - dt.timedelta(days=1),
                    unit_id=world.store_a.id, language="en"),
        ])  # fmt: skip
    assert created == 1 and len(queued) == 1  # the reading is queued after commit (run eagerly here)
    assert annotations_refresh(organisation=world.org) == 0  # read already; the answers were read before
    annotation = TextAnnotation.objects.select_related("item").get(item__source="complaint")
    assert annotation.answer_id is None and annotation.item.source_ref == "complaint:7"
    assert annotation.sentiment == "negative"
    assert {t.key for t in annotation.themes.all()} >= {"staff_friendliness", "waiting_time"}
    assert [(m.staff.first_name, m.sentiment) for m in annotation.staff_mentions.all()] == [("Marko", "negative")]
    assert "[phone]" in annotation.redacted_text and "234 5678" not in annotation.redacted_text
    # the same reference again is not a second item
    assert text_items_add(organisation_id=world.org.id, source="complaint", texts=[
        NewText(source_ref="complaint:7", text=RUDE, created_at=timezone.now()),
    ]) == 0  # fmt: skip
    assert text_source_choices(organisation_id=world.org.id) == [
        ("", "All texts"), ("survey_answer", "Survey answers"), ("complaint", "Complaints")
    ]  # fmt: skip


def test_survey_answers_are_not_added_as_another_kind(world):
    for source in ("survey_answer", "tweet"):
        with pytest.raises(ApplicationError, match="source"):
            text_items_add(organisation_id=world.org.id, source=source, texts=[])


def test_summaries_and_the_comment_list_filter_by_source(commented):
    analyst = commented.world.analyst
    everything = theme_summary(user=analyst)
    assert everything["comments"] == 2
    assert theme_summary(user=analyst, source="survey_answer") == everything
    assert theme_summary(user=analyst, source="call_note")["comments"] == 0
    staff = staff_summary(user=analyst)
    assert {row["name"] for row in staff} == {"Marko", "Ivana"}
    assert staff_summary(user=analyst, source="survey_answer") == staff
    assert staff_summary(user=analyst, source="social_mention") == []
    assert comment_page(user=analyst, comment_filters=CommentFilters(source="survey_answer")).total == 2
    assert comment_page(user=analyst, comment_filters=CommentFilters(source="complaint")).total == 0


def test_pages_offer_and_apply_the_source_filter(commented):
    client = login(commented.world.analyst)
    page = client.get("/comments/").content.decode()
    assert '<option value="survey_answer">Survey answers</option>' in page
    assert '<option value="complaint">' not in page  # only the kinds the organisation has are offered
    assert "2 comments" in client.get("/comments/", {"source": "survey_answer"}).content.decode()
    assert "No comments for these filters." in client.get("/comments/", {"source": "call_note"}).content.decode()
    assert client.get("/comments/", {"source": "fax"}).status_code == 400
    dashboard = client.get("/dashboard/", {"source": "survey_answer"})
    assert dashboard.status_code == 200
    assert '<option value="survey_answer" selected>Survey answers</option>' in dashboard.content.decode()


def test_the_api_filters_themes_and_staff_mentions_by_source(commented):
    client = api_client(commented.world.analyst)
    everything = client.get("/api/themes").json()
    assert client.get("/api/themes", {"source": "survey_answer"}).json() == everything
    assert client.get("/api/themes", {"source": "complaint"}).json()["comments"] == 0
    assert len(client.get("/api/staff-mentions", {"source": "survey_answer"}).json()) == 2
    assert client.get("/api/staff-mentions", {"source": "call_note"}).json() == []
    refused = client.get("/api/themes", {"source": "fax"})
    assert refused.status_code == 422 and "source" in refused.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_answers_items_and_attaches_their_annotations(world):
    for text, nps in ((RUDE, 2), (KIND, 10), ("", 8)):
        _comment(world, text, nps, unit=world.store_a)
    annotations_refresh(organisation=world.org)
    annotated = dict(TextAnnotation.objects.values_list("answer_id", "sentiment"))
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("textanalytics", "0004_staff_name_unique_per_unit")])  # before text items existed
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)  # the data migration runs here

    items = {item.answer_id: item for item in TextItem.objects.all()}
    assert set(items) == set(annotated) and len(items) == 2  # the empty answer has nothing to read
    for annotation in TextAnnotation.objects.all():
        assert annotation.item_id == items[annotation.answer_id].id
        assert annotation.sentiment == annotated[annotation.answer_id]
    assert {(i.source, i.unit_id) for i in items.values()} == {("survey_answer", world.store_a.id)}
    assert annotations_refresh(organisation=world.org) == 0  # nothing to re-read: versions unchanged


def test_texts_of_another_kind_count_in_the_summaries_within_the_readers_scope(commented):
    world = commented.world
    text_items_add(organisation_id=world.org.id, source="complaint", texts=[
        NewText(source_ref="c:1", text=RUDE, created_at=timezone.now(), unit_id=world.store_a.id, language="en"),
    ])  # fmt: skip
    annotations_refresh(organisation=world.org)
    analyst = world.analyst
    assert theme_summary(user=analyst)["comments"] == 3
    complaints = theme_summary(user=analyst, source="complaint")
    assert complaints["comments"] == 1 and complaints["detractor_comments"] == 0  # no score behind a complaint
    assert {row["key"] for row in complaints["themes"]} >= {"staff_friendliness", "waiting_time"}
    assert staff_summary(user=analyst, source="complaint")[0]["name"] == "Marko"
    assert theme_summary(user=analyst, source="survey_answer")["comments"] == 2
    # a filter only survey answers carry leaves other kinds out; the unit scope and dates apply to them
    only_survey = ResponseFilters(survey_id=world.survey.id)
    assert theme_summary(user=analyst, filters=only_survey, source="complaint")["comments"] == 0
    assert theme_summary(user=analyst, filters=ResponseFilters(unit_id=world.store_b.id))["comments"] == 0
    yesterday = ResponseFilters(date_to=(timezone.localdate() - dt.timedelta(days=1)))
    assert theme_summary(user=analyst, filters=yesterday, source="complaint")["comments"] == 0
    assert theme_summary(user=world.manager_a, source="complaint")["comments"] == 1  # manager of store A
    client = login(analyst)
    assert '<option value="complaint">Complaints</option>' in client.get("/comments/").content.decode()


@pytest.mark.django_db
def test_the_openapi_names_the_kinds_of_text():
    assert set(TextSource.__args__) == set(TextItem.Source.values)  # type: ignore[attr-defined]
    paths = Client().get("/api/openapi.json").json()["paths"]
    for path in ("/api/themes", "/api/staff-mentions"):
        (source,) = [p for p in paths[path]["get"]["parameters"] if p["name"] == "source"]
        assert source["in"] == "query" and not source.get("required", False)
        assert set(json.dumps(source["schema"]).split('"')) >= set(TextItem.Source.values), source


def test_storing_a_response_creates_its_text_item_in_the_same_transaction(world):
    from heed.responses.handlers import ResponsesStored, responses_handlers

    assert "textanalytics.text_items" in responses_handlers(ResponsesStored, "in_transaction")
    response = _comment(world, KIND, 10, unit=world.store_b)  # no annotations_refresh: the handler made it
    item = TextItem.objects.get(answer__response=response)
    assert (item.source, item.unit_id, item.text) == ("survey_answer", world.store_b.id, KIND)
