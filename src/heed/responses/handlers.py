"""What other apps do when responses are stored or deleted: an explicit registry, not Django signals.

Every way a response enters Heed (the respondent page, ``POST /api/responses``, ``POST /api/responses/batch``,
the demo seeder and, later, CSV import and offline sync) goes through ``heed.responses.services.
responses_submit_many``, which calls the handlers registered here once per stored batch:

- ``in_transaction`` handlers run inside the transaction that stores the responses, so what they write is
  durable exactly when the responses are (rollup days marked as changed; later quota counts);
- ``after_commit`` handlers run once the transaction has committed (queueing background work such as text
  analysis; later alert rules). A failure there is logged and never undoes or hides a stored response: the
  periodic reconciliation (``CELERY_BEAT_SCHEDULE``) finds what was not done.

``response_delete`` calls the handlers registered for ``ResponsesDeleted``, ``version_headlines_rederive``
those for ``ResponsesRescored``, and ``response_review_set``/``response_edit`` those for ``ResponsesReviewed`` (a
review state or the answers changed, so what figures count changed) the same way.

Apps register their handlers in ``AppConfig.ready()`` (``heed.analytics.apps``, ``heed.textanalytics.apps``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from django.db import transaction

if TYPE_CHECKING:
    from heed.surveys.answering import AnswerValue

logger = logging.getLogger(__name__)

Phase = Literal["in_transaction", "after_commit"]


class StoredText(NamedTuple):
    """A non-empty open-text answer of a newly stored response (for text analytics, without reading it back)."""

    answer_id: int
    question_key: str
    text: str


class StoredResponse(NamedTuple):
    """One newly stored response, as the handlers need it: its open-text answers are in ``texts``; handlers
    read anything else they need. An immutable record (a named tuple: a batch makes one per response, and a frozen
    dataclass took four times as long to build)."""

    id: int
    organisation_id: int
    survey_id: int
    unit_id: int | None
    submitted_at: dt.datetime
    language: str = ""
    texts: tuple[StoredText, ...] = ()
    answers: Mapping[str, AnswerValue] = MappingProxyType({})  # question key -> value as stored (stored only)
    submitted_by_id: int | None = None
    complete: bool = True  # Submission.complete: False for an interview broken off (quotas count it only if told)
    client_key: str | None = None  # the submitter's idempotency key (phone interviews name their case in it)
    screened_out: bool = False  # ended by a screening question: not eligible (``complete`` is False too)

    @property
    def has_text(self) -> bool:
        """Whether it holds a non-empty open-text answer."""
        return bool(self.texts)


@dataclass(frozen=True)
class ResponsesStored:
    """A batch of responses stored in one transaction (at least one)."""

    responses: Sequence[StoredResponse]


@dataclass(frozen=True)
class ResponsesDeleted:
    """Responses deleted in one transaction (``texts`` left empty)."""

    responses: Sequence[StoredResponse]


@dataclass(frozen=True)
class ResponsesReviewed:
    """Responses whose review state (and, for ``edited``, answers and headline scores) changed in one transaction
    (``texts`` left empty): ``state`` is the state they are now in."""

    responses: Sequence[StoredResponse]
    state: str
    previous_states: Mapping[int, str] = field(default_factory=dict)  # response id -> state before (absent: unknown)

    @property
    def counted_changed(self) -> bool:
        """Whether a response moved into or out of ``rejected``, so the responses figures count changed
        (``filter_spec.COUNTED``); a response whose previous state is unknown is taken as changed."""
        from heed.responses.models import ReviewState

        rejected = ReviewState.REJECTED.value
        if self.state == rejected:
            return any(self.previous_states.get(r.id) != rejected for r in self.responses)
        return any(self.previous_states.get(r.id, rejected) == rejected for r in self.responses)

    @property
    def answers_changed(self) -> bool:
        """Whether the answers (and so headline scores and demographics) changed: the state is ``edited``."""
        from heed.responses.models import ReviewState

        return self.state == ReviewState.EDITED.value


@dataclass(frozen=True)
class ResponsesRescored:
    """The headline scores of a survey's responses on these local days were re-derived (``responses.headlines``)."""

    survey_id: int
    days: frozenset[dt.date]


Event = ResponsesStored | ResponsesDeleted | ResponsesReviewed | ResponsesRescored
Handler = Callable[[Any], None]
EVENTS: tuple[type, ...] = (ResponsesStored, ResponsesDeleted, ResponsesReviewed, ResponsesRescored)
PHASES: tuple[Phase, ...] = ("in_transaction", "after_commit")

_handlers: dict[tuple[type, Phase], dict[str, Handler]] = {(e, p): {} for e in EVENTS for p in PHASES}


def responses_handler_register(*, event: type, name: str, phase: Phase, handler: Handler) -> None:
    """Register ``handler`` (called with an instance of ``event``) under a unique ``name``; registering the same
    name again replaces it, so an app's ``ready()`` may run twice. Raises ValueError for an unknown event or
    phase."""
    if (event, phase) not in _handlers:
        raise ValueError(f"Unknown event {event!r} or phase {phase!r}; phases: {', '.join(PHASES)}.")
    _handlers[(event, phase)][name] = handler


def responses_handlers(event: type, phase: Phase) -> dict[str, Handler]:
    """The handlers registered for ``event`` in ``phase``, by name, in registration order (a copy)."""
    return dict(_handlers[(event, phase)])


def _described(event: Event) -> str:
    if isinstance(event, ResponsesRescored):
        return f"{len(event.days)} days of survey {event.survey_id}"
    return f"{len(event.responses)} responses"


def _after_commit(name: str, handler: Handler, event: Event) -> None:
    try:
        handler(event)
    except Exception:  # a queueing failure must not turn a stored response into an error; reconciled later
        logger.exception("After-commit handler %s failed for %s", name, _described(event))


def responses_dispatch(event: Event) -> None:
    """Call the event's ``in_transaction`` handlers now (an exception rolls the whole batch back) and schedule
    its ``after_commit`` ones for when the surrounding transaction commits. Call it inside that transaction."""
    if not (event.days if isinstance(event, ResponsesRescored) else event.responses):
        return
    for handler in _handlers[(type(event), "in_transaction")].values():
        handler(event)
    for name, handler in _handlers[(type(event), "after_commit")].items():
        transaction.on_commit(partial(_after_commit, name, handler, event))
