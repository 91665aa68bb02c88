"""Writes for text items: the customer texts text analytics reads, whatever fed them.

Survey answers feed items now (:func:`text_items_from_answers`); complaints, call notes and social mentions
will call :func:`text_items_add` from their own apps' services with their own ``source``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet

from heed.core.bulk import rows_insert
from heed.core.debounce import enqueue_soon
from heed.core.errors import ApplicationError
from heed.responses.selectors import TEXT_ANSWER_TYPES, text_answer_queryset
from heed.textanalytics.models import TextItem

if TYPE_CHECKING:
    from heed.responses.models import Answer

TEXT_TYPES = TEXT_ANSWER_TYPES
SOURCES: tuple[str, ...] = tuple(TextItem.Source.values)


@dataclass(frozen=True)
class NewText:
    """A text to read, as another app hands it in: ``source_ref`` names its record there (unique per source)."""

    source_ref: str
    text: str
    created_at: dt.datetime
    unit_id: int | None = None
    language: str = ""


def answer_comments(*, organisation_id: int | None = None) -> QuerySet[Answer]:
    """Open-text survey answers with text (of one organisation when given): what survey answers feed."""
    return text_answer_queryset(organisation_id=organisation_id)


def text_items_from_answers(
    *, organisation_id: int, answer_ids: Iterable[int] | None = None, since_response_id: int | None = None,
    response_ids: Iterable[int] | None = None, batch_size: int = 2000,
) -> int:  # fmt: skip
    """Create the missing text items of an organisation's open-text answers (only ``answer_ids``, those of
    ``response_ids`` or those of responses from ``since_response_id`` on, when given). Idempotent; returns the
    number of answers it wrote an item for (a concurrent run's items are skipped, not counted out)."""
    answers = answer_comments(organisation_id=organisation_id).filter(text_item__isnull=True)
    if answer_ids is not None:
        answers = answers.filter(id__in=list(answer_ids))
    if response_ids is not None:
        answers = answers.filter(response_id__in=list(response_ids))
    if since_response_id is not None:
        answers = answers.filter(response_id__gte=since_response_id)
    rows = answers.order_by("id").values_list(
        "id", "text_value", "response__unit_id", "response__language", "response__submitted_at"
    )
    created, last = 0, 0
    while batch := list(rows.filter(id__gt=last)[:batch_size]):
        last = batch[-1][0]
        full = len(batch) == batch_size
        items = [
            TextItem(organisation_id=organisation_id, unit_id=unit_id, source=TextItem.Source.SURVEY_ANSWER,
                     source_ref=f"answer:{answer_id}", answer_id=answer_id, language=(language or "")[:8],
                     text=text, created_at=submitted_at)
            for answer_id, text, unit_id, language, submitted_at in batch
        ]  # fmt: skip
        # A concurrent run may have created some of them: the unique reference makes that a no-op.
        created += len(TextItem.objects.bulk_create(items, ignore_conflicts=True))
        if not full:  # the last batch: no need to ask for more
            break
    return created


def text_items_add(*, organisation_id: int, source: str, texts: Sequence[NewText]) -> int:
    """Add texts of another kind (``source``: one of :data:`SOURCES` other than survey answers); a
    ``source_ref`` already stored for that source is skipped. Returns the items created; their reading is
    queued after commit (``annotations_refresh_task``, at most one run per organisation and second).
    Raises ApplicationError for an unknown source."""
    if source not in SOURCES or source == TextItem.Source.SURVEY_ANSWER:
        raise ApplicationError(f"Unknown text source {source!r}; survey answers feed text items themselves.")
    items = [
        TextItem(organisation_id=organisation_id, unit_id=t.unit_id, source=source, source_ref=t.source_ref[:80],
                 language=t.language[:8], text=t.text, created_at=t.created_at)
        for t in texts if t.text.strip()
    ]  # fmt: skip
    before = TextItem.objects.filter(organisation_id=organisation_id, source=source).count()
    TextItem.objects.bulk_create(items, ignore_conflicts=True)
    created = TextItem.objects.filter(organisation_id=organisation_id, source=source).count() - before
    if created:
        transaction.on_commit(lambda: _read_soon(organisation_id))
    return created


def _read_soon(organisation_id: int) -> None:
    from heed.textanalytics.tasks import annotations_refresh_task

    enqueue_soon(annotations_refresh_task, key=f"text-items:{organisation_id}", args=(organisation_id,))


def on_responses_created(event: Any) -> None:
    """Handler for "new responses were stored" (``heed.responses``' handler registry, phase ``in_transaction``):
    the text items of their open-text answers are created in the same transaction, so an item exists exactly
    when its answer does. ``event.responses``: items with ``organisation_id``, ``unit_id``, ``language``,
    ``submitted_at`` and ``texts`` (``answer_id``, ``text``), as ``heed.responses.handlers.StoredResponse``.
    The answers are new in this transaction, so no item of theirs can exist yet: plain bulk insert, no read.
    Reading the items (annotation) is queued after commit by ``ingestion_handlers.comments_to_read``. Both are
    registered in ``TextAnalyticsConfig.ready``."""
    rows_insert(TextItem, ITEM_COLUMNS, [
        (response.organisation_id, response.unit_id, TextItem.Source.SURVEY_ANSWER, f"answer:{text.answer_id}",
         text.answer_id, (response.language or "")[:8], text.text, response.submitted_at)
        for response in event.responses for text in response.texts
    ])  # fmt: skip


ITEM_COLUMNS = ["organisation_id", "unit_id", "source", "source_ref", "answer_id", "language", "text", "created_at"]
