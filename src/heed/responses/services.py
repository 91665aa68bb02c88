"""Ingesting responses: validation against the published version, idempotency, one per invitation.

One path for single and batch submissions (``responses_submit_many``): validate, then bulk-insert the
responses, answers and client_key ledger entries in one transaction; the handlers other apps registered for
new responses (``heed.responses.handlers``: rollup days marked in the transaction, text analysis queued after
commit) run once per batch, and their work runs in the background worker."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from heed.accounts import permissions
from heed.accounts.services import unit_require_open
from heed.core.bulk import rows_insert, rows_insert_returning_ids
from heed.core.channels import Channel
from heed.core.errors import ApplicationError, ConflictError
from heed.core.statistics import tables_analyze
from heed.distribution.services import invitation_mark_responded
from heed.responses.fingerprint import submission_fingerprint
from heed.responses.handlers import (
    ResponsesDeleted,
    ResponsesReviewed,
    ResponsesStored,
    StoredResponse,
    StoredText,
    responses_dispatch,
)
from heed.responses.models import Answer, ClientKey, Response, ResponseReview, ReviewState
from heed.responses.selectors import TEXT_ANSWER_TYPES, client_keys_known
from heed.surveys.answering import (
    AnswerValue,
    SubmissionError,
    clean_submission,
    clean_submission_screened,
)
from heed.surveys.definition import SurveyDefinition
from heed.surveys.selectors import (
    survey_is_open,
    survey_latest_version,
    version_definition,
    version_definition_shared,
)

if TYPE_CHECKING:
    from heed.accounts.models import Unit, User
    from heed.distribution.models import Invitation, SurveyLink
    from heed.surveys.models import Survey, SurveyVersion


@dataclass(frozen=True)
class Submission:
    """Everything known about one response besides its answers."""

    survey: Survey
    language: str
    channel: str = Channel.WEB
    link: SurveyLink | None = None
    invitation: Invitation | None = None
    unit: Unit | None = None
    touchpoint: str = ""
    client_key: str | None = None
    started_at: dt.datetime | None = None
    submitted_at: dt.datetime | None = None
    submitted_by: User | None = None
    version: SurveyVersion | None = None
    complete: bool = True  # False: broken off before the end (an interviewer's partial); passed to the handlers


ANSWER_COLUMNS = ["response_id", "question_key", "question_type", "number_value", "text_value", "choice_values"]


def answer_values(response_id: int, key: str, qtype: str, value: AnswerValue) -> tuple:
    """One answer as a row of ANSWER_COLUMNS (for ``heed.core.bulk.rows_insert``), stored as ``answer_row``."""
    if isinstance(value, list):
        return (response_id, key, qtype, None, "", value)
    if isinstance(value, float):
        return (response_id, key, qtype, value, "", None)
    return (response_id, key, qtype, None, value, None)


def answer_row(response: Response, key: str, qtype: str, value: AnswerValue) -> Answer:
    answer = Answer(response=response, question_key=key, question_type=qtype)
    if isinstance(value, list):
        answer.choice_values = value
    elif isinstance(value, float):
        answer.number_value = value
    else:
        answer.text_value = value
    return answer


def headline_fields(
    definition: SurveyDefinition, answers: dict[str, AnswerValue], screened_at: str | None
) -> dict[str, Any]:
    """The columns copied onto a response: ``nps_score``/``csat_score``/``ces_score`` from the
    question each metric maps to (``SurveyDefinition.metric_keys``), and age group, gender, region; and
    ``outcome``. A respondent screened out (``heed.surveys.answering.screened_out``) is not eligible: the outcome
    is ``screened_out`` and no headline score is copied, so satisfaction figures never count them.
    ``screened_at``: the screening question's key, or None, as ``clean_submission_screened`` gives it with
    ``answers``."""
    fields: dict[str, Any] = {}
    scores, demographics = definition.headline_sources
    if screened_at:
        fields["outcome"] = Response.Outcome.SCREENED_OUT
    else:
        for column, key in scores:
            if (value := answers.get(key)) is not None:
                fields[column] = int(value)  # type: ignore[arg-type]
    for column, key in demographics:  # the first answered question of each demographic type
        if column not in fields and (value := answers.get(key)) is not None:
            fields[column] = str(value)[:60]
    return fields


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """Times without a zone are read in the server's time zone (HEED_TIME_ZONE)."""
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


class Outcome:
    """What happened to one submission: ``created``, ``replayed`` (same client_key, same content: the stored
    response), ``conflict`` (a ConflictError: key used with other content, for another survey or for a deleted
    response; invitation used) or ``invalid`` (an ApplicationError or a SubmissionError; nothing stored).

    ``response`` is the stored Response (None for a conflict or an invalid submission); for a response stored by
    this call it is built when first asked for (``response_id`` needs no instance), and ``answers`` holds its
    answers as stored: (question key, type, value)."""

    __slots__ = ("status", "error", "_response", "_stored")

    def __init__(self, status: str, response: Response | None = None,
                 error: ApplicationError | SubmissionError | None = None, *,
                 stored: tuple[_Ready, int, list[Any]] | None = None) -> None:  # fmt: skip
        self.status = status
        self.error = error
        self._response = response
        self._stored = stored  # (the validated submission, the new id, its row of RESPONSE_COLUMNS)

    @property
    def response_id(self) -> int | None:
        if self._stored is not None:
            return self._stored[1]
        return self._response.pk if self._response is not None else None

    @property
    def response(self) -> Response | None:
        if self._response is None and self._stored is not None:
            ready, pk, row = self._stored
            self._response = _response_instance(pk, row, ready)
        return self._response

    @property
    def answers(self) -> list[tuple[str, str, AnswerValue]] | None:
        """A response stored by this call: its answers as stored, (question key, type, value); otherwise None."""
        if self._stored is None or self.status != "created":
            return None
        ready = self._stored[0]
        return [(key, ready.types[key], value) for key, value in ready.answers.items()]

    def replay(self) -> Outcome:
        """This outcome's response, sent again in the same batch with the same content: ``replayed``."""
        return Outcome("replayed", self._response, stored=self._stored)


@dataclass
class _Ready:
    """A validated submission about to be stored."""

    index: int
    submission: Submission
    version: SurveyVersion
    definition: SurveyDefinition
    answers: dict[str, AnswerValue]
    submitted_at: dt.datetime
    started_at: dt.datetime | None
    fingerprint: str
    types: dict[str, str]  # question key -> question type, of the version's definition
    screened_at: str | None  # the key of the question that screened the respondent out, or None


def _fingerprint(submission: Submission, answers: dict[str, AnswerValue]) -> str:
    return submission_fingerprint(
        survey_id=submission.survey.id, answers=answers, unit_id=submission.unit.id if submission.unit else None,
        channel=submission.channel, language=submission.language, touchpoint=submission.touchpoint[:60],
    )  # fmt: skip


class _Versions:
    """The published version and parsed definition of each survey, looked up once per batch."""

    def __init__(self) -> None:
        self._latest: dict[int, tuple[SurveyVersion, SurveyDefinition] | None] = {}
        self._parsed: dict[int, SurveyDefinition] = {}
        self._types: dict[int, dict[str, str]] = {}

    def definition(self, version: SurveyVersion) -> SurveyDefinition:
        if version.pk not in self._parsed:
            self._parsed[version.pk] = version_definition_shared(version)  # do not change it
        return self._parsed[version.pk]

    def types(self, version: SurveyVersion) -> dict[str, str]:
        """Question key -> question type of the version (shared by the batch's responses: do not change it)."""
        if version.pk not in self._types:
            self._types[version.pk] = {q.key: q.type for q in self.definition(version).questions}
        return self._types[version.pk]

    def latest(self, survey: Survey) -> tuple[SurveyVersion, SurveyDefinition] | None:
        if survey.id not in self._latest:
            version = survey_latest_version(survey=survey)
            self._latest[survey.id] = (version, self.definition(version)) if version is not None else None
        return self._latest[survey.id]


_CHANNELS = frozenset(Channel.values)  # Channel.values builds a new list on every access


def _prepare(index: int, submission: Submission, raw_answers: dict[str, Any], versions: _Versions) -> _Ready:
    """Validate one submission against its survey version. Raises ApplicationError or SubmissionError."""
    survey = submission.survey
    if not survey_is_open(survey):
        raise ApplicationError("This survey is not open for responses.", code="survey_closed")
    if submission.version is not None:
        if submission.version.survey_id != survey.id:
            raise ApplicationError("This survey has no published version.", code="survey_closed")
        version, definition = submission.version, versions.definition(submission.version)
    elif (latest := versions.latest(survey)) is not None:
        version, definition = latest
    else:
        raise ApplicationError("This survey has no published version.", code="survey_closed")
    if submission.language not in definition.languages:
        raise ApplicationError(
            f"Language {submission.language!r} is not offered by this survey.", code="invalid_language"
        )
    if submission.channel not in _CHANNELS:
        raise ApplicationError(f"Unknown channel {submission.channel!r}.", code="invalid_channel")
    if submission.unit is not None and submission.unit.organisation_id != survey.organisation_id:
        raise ApplicationError("Unknown unit.", code="invalid_unit")
    unit_require_open(submission.unit)
    answers, screened_at = clean_submission_screened(definition, raw_answers)
    now = timezone.now()
    submitted_at = _aware(submission.submitted_at) or now
    if submitted_at > now + dt.timedelta(minutes=5):
        raise ApplicationError("submitted_at lies in the future.", code="invalid_time")
    started_at = _aware(submission.started_at)
    if started_at is not None and started_at > submitted_at:
        started_at = None
    return _Ready(index, submission, version, definition, answers, submitted_at, started_at,
                  _fingerprint(submission, answers), versions.types(version), screened_at)  # fmt: skip


def _key_conflict(response_id: int) -> ConflictError:
    return ConflictError(
        "This client_key was already used for a response with other content.",
        code="client_key_conflict",
        extra={"response_id": response_id},
    )


def _against_ledger(
    entry: ClientKey, submission: Submission, raw_answers: dict[str, Any], versions: _Versions
) -> Outcome:
    """A key seen before: the same content is a replay of the stored response, anything else a conflict."""
    if entry.survey_id != submission.survey.id:
        error = ConflictError("This client_key was already used for a response to another survey.",
                              code="client_key_used")  # fmt: skip
        return Outcome("conflict", error=error)
    if entry.response is None:
        error = ConflictError(
            "The response sent with this client_key was deleted; send it again with a new client_key.",
            code="client_key_deleted",
        )
        return Outcome("conflict", error=error)
    try:
        answers = clean_submission(versions.definition(entry.response.version), raw_answers)
    except SubmissionError:
        return Outcome("conflict", error=_key_conflict(entry.response.id))
    if _fingerprint(submission, answers) != entry.fingerprint:
        return Outcome("conflict", error=_key_conflict(entry.response.id))
    return Outcome("replayed", response=entry.response)


def _ledger(items: Sequence[tuple[Submission, dict[str, Any]]]) -> dict[tuple[int, str], ClientKey]:
    """The ledger entries of the items' client_keys (with their responses and versions), by (organisation, key):
    which keys are known is asked first with the keys as one parameter (``client_keys_known``), and only those,
    usually none, are loaded."""
    keys: dict[int, set[str]] = {}
    for submission, _raw in items:
        if submission.client_key:
            keys.setdefault(submission.survey.organisation_id, set()).add(submission.client_key)
    condition = Q()
    for organisation_id, org_keys in keys.items():
        if known := client_keys_known(organisation_id=organisation_id, keys=org_keys):
            condition |= Q(organisation_id=organisation_id, key__in=known)
    if not condition:
        return {}
    entries = ClientKey.objects.filter(condition).select_related("response__version")
    return {(entry.organisation_id, entry.key): entry for entry in entries}


# Response's concrete fields but its key, in field order (``Response(pk, *row)`` builds the instance; a test holds
# this list to the model).
RESPONSE_COLUMNS = [
    "organisation_id", "survey_id", "version_id", "link_id", "invitation_id", "unit_id", "channel", "language",
    "touchpoint", "client_key", "submitted_by_id", "started_at", "submitted_at", "duration_seconds", "nps_score",
    "csat_score", "ces_score", "age_group", "gender", "region", "outcome", "review_state", "created_at",
]  # fmt: skip
_COMPLETE, _PARTIAL = Response.Outcome.COMPLETE.value, Response.Outcome.PARTIAL.value
_SCREENED_OUT, _RECEIVED = Response.Outcome.SCREENED_OUT.value, ReviewState.RECEIVED.value
_OUTCOME_AT = RESPONSE_COLUMNS.index("outcome")


def _response_row(r: _Ready, created_at: dt.datetime) -> list[Any]:
    """``r`` as a row of RESPONSE_COLUMNS: what ``Response(survey=..., ...)`` would hold, every other field at its
    default. Rows, not instances: building 500 model instances and reading their values back took a tenth of a
    sync batch; an instance is made only when asked for (``Outcome.response``)."""
    s = r.submission
    headline = headline_fields(r.definition, r.answers, r.screened_at)
    outcome = headline.get("outcome", _COMPLETE)
    if not s.complete and outcome != _SCREENED_OUT:
        outcome = _PARTIAL
    started, submitted = r.started_at, r.submitted_at
    return [
        s.survey.organisation_id, s.survey.pk, r.version.pk, s.link.pk if s.link else None,
        s.invitation.pk if s.invitation else None, s.unit.pk if s.unit else None, s.channel, s.language,
        s.touchpoint[:60], s.client_key or None, s.submitted_by.pk if s.submitted_by else None, started, submitted,
        int((submitted - started).total_seconds()) if started else None, headline.get("nps_score"),
        headline.get("csat_score"), headline.get("ces_score"), headline.get("age_group", ""),
        headline.get("gender", ""), headline.get("region", ""), outcome, _RECEIVED, created_at,
    ]  # fmt: skip


_RELATED = ("survey", "version", "link", "invitation", "unit", "submitted_by")


def _response_instance(pk: int, row: Sequence[Any], r: _Ready) -> Response:
    """The stored Response of ``r`` (as loaded from the database, its related instances cached)."""
    response = Response(pk, *row)  # type: ignore[misc]  # positional values in field order, as Model.from_db
    response._state.adding = False
    response._state.db = connection.alias
    s = r.submission
    for name, instance in zip(_RELATED, (s.survey, r.version, s.link, s.invitation, s.unit, s.submitted_by),
                              strict=True):  # fmt: skip
        Response._meta.get_field(name).set_cached_value(response, instance)  # type: ignore[union-attr]
    return response


def _store(ready: list[_Ready]) -> list[tuple[int, list[Any]]]:
    """Insert the responses, their answers and their ledger entries in one transaction (bulk); returns each
    response's (id, row of RESPONSE_COLUMNS), in the order of ``ready``."""
    created = timezone.now()
    rows = [_response_row(r, created) for r in ready]
    with transaction.atomic():
        ids: list[int] = []
        for first in range(0, len(rows), 500):  # 500 rows x 23 columns stay below SQLite's 32,766 parameters
            ids += rows_insert_returning_ids(Response, RESPONSE_COLUMNS, rows[first : first + 500])
        answers: list[tuple] = []
        for r, response_id in zip(ready, ids, strict=True):
            types = r.types
            answers += [answer_values(response_id, key, types[key], value) for key, value in r.answers.items()]
        # The ids of the open-text answers go to the handlers (text analytics), so nothing reads them back; only
        # those are drawn (on PostgreSQL a sequence value per row cost more than the COPY of all the answers).
        texts: list[tuple] = []
        others: list[tuple] = []
        for row in answers:
            (texts if row[2] in TEXT_ANSWER_TYPES and row[4] else others).append(row)
        rows_insert(Answer, ANSWER_COLUMNS, others)
        by_response: dict[int, list[StoredText]] = {}
        for answer_id, row in zip(rows_insert_returning_ids(Answer, ANSWER_COLUMNS, texts), texts, strict=True):
            by_response.setdefault(row[0], []).append(StoredText(answer_id=answer_id, question_key=row[1],
                                                                 text=row[4]))  # fmt: skip
        rows_insert(ClientKey, ["organisation_id", "key", "survey_id", "fingerprint", "response_id", "created_at"], [
            (r.submission.survey.organisation_id, key, r.submission.survey.pk, r.fingerprint, response_id, created)
            for r, response_id in zip(ready, ids, strict=True)
            if (key := r.submission.client_key)
        ])  # fmt: skip
        for r in ready:
            if r.submission.invitation is not None:
                invitation_mark_responded(invitation_id=r.submission.invitation.pk, responded_at=r.submitted_at)
        stored: list[StoredResponse] = []
        for r, response_id, response_row in zip(ready, ids, rows, strict=True):
            s = r.submission
            screened = response_row[_OUTCOME_AT] == _SCREENED_OUT
            stored.append(StoredResponse(
                response_id, s.survey.organisation_id, s.survey.pk, s.unit.pk if s.unit else None, r.submitted_at,
                s.language, tuple(by_response.get(response_id, ())), r.answers,
                s.submitted_by.pk if s.submitted_by else None, s.complete and not screened, s.client_key or None,
                screened,
            ))  # fmt: skip
        responses_dispatch(ResponsesStored(stored))
    return list(zip(ids, rows, strict=True))


def _invitation_used(submission: Submission) -> bool:
    invitation = submission.invitation
    return invitation is not None and Response.objects.filter(invitation_id=invitation.pk).exists()


def _submit_once(items: Sequence[tuple[Submission, dict[str, Any]]], *, read_ledger: bool = True) -> list[Outcome]:
    versions = _Versions()
    ledger = _ledger(items) if read_ledger else {}
    outcomes: list[Outcome | None] = [None] * len(items)
    first_with_key: dict[tuple[int, str], _Ready] = {}
    repeats: list[tuple[_Ready, _Ready]] = []  # (an item, the earlier item of the batch with its key)
    ready: list[_Ready] = []
    for index, (submission, raw_answers) in enumerate(items):
        key = (submission.survey.organisation_id, submission.client_key) if submission.client_key else None
        if key is not None and key in ledger:
            outcomes[index] = _against_ledger(ledger[key], submission, raw_answers, versions)
            continue
        try:
            prepared = _prepare(index, submission, raw_answers, versions)
        except ConflictError as exc:
            outcomes[index] = Outcome("conflict", error=exc)
            continue
        except (ApplicationError, SubmissionError) as exc:
            outcomes[index] = Outcome("invalid", error=exc)
            continue
        if _invitation_used(submission):
            outcomes[index] = Outcome(
                "conflict", error=ConflictError("This invitation has already been used.", code="invitation_used")
            )
            continue
        if key is not None and key in first_with_key:  # the same key twice in one batch
            repeats.append((prepared, first_with_key[key]))
            continue
        if key is not None:
            first_with_key[key] = prepared
        ready.append(prepared)
    stored = _store(ready) if ready else []
    created = {r.index: Outcome("created", stored=(r, *row)) for r, row in zip(ready, stored, strict=True)}
    for index, outcome in created.items():
        outcomes[index] = outcome
    for repeat, first in repeats:
        same = repeat.fingerprint == first.fingerprint  # the fingerprint covers the survey
        if same:
            outcomes[repeat.index] = created[first.index].replay()
        else:
            response_id = created[first.index].response_id
            assert response_id is not None  # stored by this call
            outcomes[repeat.index] = Outcome("conflict", error=_key_conflict(response_id))
    return [outcome for outcome in outcomes if outcome is not None]


def responses_submit_many(*, items: Sequence[tuple[Submission, dict[str, Any]]], attempts: int = 3) -> list[Outcome]:
    """Validate and store many responses at once (bulk inserts, one transaction); one Outcome per item, in order.

    Every item follows the client_key rule (see ``ClientKey``); a race with a concurrent submission of the same
    key (the ledger's unique constraint fires) is resolved by reading the ledger again, up to ``attempts``
    times. Rollup days are marked and comments queued for text analysis after commit; nothing else runs here.

    A single item is first tried without reading the ledger (the unique constraint catches a key already used,
    and the transaction is rolled back): most single submissions are new, and the read was a tenth of their time.
    Anything but ``created`` for an item with a key is decided again against the ledger (a used key with other,
    even invalid, content is a conflict).
    """
    if len(items) == 1:
        try:
            (outcome,) = _submit_once(items, read_ledger=False)
            if outcome.status == "created" or not items[0][0].client_key:
                return [outcome]
        except IntegrityError:
            pass  # the key was used before (or concurrently): decide against the ledger
    for attempt in range(attempts):
        try:
            return _submit_once(items)
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


BULK_ANALYZE_MINIMUM = 200  # a batch storing this many responses refreshes planner statistics afterwards
INGESTED_MODELS = ["responses.Response", "responses.Answer", "responses.ClientKey"]


ANALYZE_AFTER_SECONDS = 10.0  # a burst of batches (a device catching up, an import) gets one ANALYZE at its end


def statistics_refresh_later() -> None:
    """After commit, queue an ANALYZE of the ingestion tables whose statistics went stale (background), at most
    one per ``ANALYZE_AFTER_SECONDS`` per web process (``heed.core.debounce``): the twenty batches of a device
    catching up queued twenty ANALYZEs of the same tables, each taking the database's write lock on SQLite."""
    from heed.core.debounce import enqueue_soon
    from heed.core.tasks import tables_analyze_task

    transaction.on_commit(lambda: enqueue_soon(tables_analyze_task, key="tables-analyze:ingestion",
                                               args=(INGESTED_MODELS,), delay=ANALYZE_AFTER_SECONDS))  # fmt: skip


def responses_tables_analyze() -> list[str]:
    """ANALYZE the ingestion tables (responses, answers, the client_key ledger) now, in the caller's transaction:
    fresh planner statistics right after a bulk load (the demo seeder) before reading what it loaded. Returns the
    table names analyzed (``heed.core.statistics.tables_analyze``)."""
    return tables_analyze([Response, Answer, ClientKey])


def responses_delete_for_organisation(*, organisation_id: int) -> int:
    """Delete every response of an organisation with its answers and what references them (cascades: ledger
    entries, weights, text items), for removing a whole organisation (``heed demo --reset``). The handlers
    registered for deleted responses are not called and nothing is audited: the organisation's derived figures
    and audit log go with it. Returns the number of responses deleted (0 for an unknown id)."""
    _rows, by_model = Response.objects.filter(organisation_id=organisation_id).delete()
    return by_model.get(Response._meta.label, 0)


def response_submit(*, submission: Submission, raw_answers: dict[str, Any]) -> tuple[Response, bool]:
    """Validate and store one response. Returns (response, created): created False is a replay.

    The same ``client_key`` with the same content returns the stored response; with other content, for another
    survey, or after its response was deleted it raises ConflictError (``extra`` names the stored response);
    a used invitation raises ConflictError; invalid answers raise ``SubmissionError``, other bad input
    ApplicationError (nothing is stored)."""
    (outcome,) = responses_submit_many(items=[(submission, raw_answers)])
    if outcome.error is not None:
        raise outcome.error
    assert outcome.response is not None
    if outcome.answers is not None:
        _attach_answers(outcome.response, outcome.answers)
    return outcome.response, outcome.status == "created"


def _attach_answers(response: Response, answers: Sequence[tuple[str, str, AnswerValue]]) -> None:
    """Give a new response its answers (not yet annotated) as ``prefetch_related`` would, so that showing it
    (``response.answers.all()``, ``answer.annotation``) needs no query. Their ids are not loaded."""
    rows = [answer_row(response, key, qtype, value) for key, qtype, value in answers]
    for answer in rows:
        Answer.annotation.related.set_cached_value(answer, None)
    cached = response.answers.all()
    cached._result_cache = rows
    cached._prefetch_done = True  # type: ignore[attr-defined]
    response._prefetched_objects_cache = {"answers": cached}  # type: ignore[attr-defined]


@transaction.atomic
def response_delete(*, response: Response, actor: User | None = None) -> None:
    """Delete a response and its answers (e.g. erasure on request); the handlers registered for
    ``ResponsesDeleted`` follow (its day's rollups are marked in this transaction and recomputed after commit).
    Recorded in the audit log without content."""
    from heed.governance.services import audit_record

    snapshot = {"survey": response.survey_id, "submitted_at": response.submitted_at.isoformat(),
                "unit": response.unit_id, "channel": response.channel}  # fmt: skip
    gone = StoredResponse(id=response.id, organisation_id=response.organisation_id, survey_id=response.survey_id,
                          unit_id=response.unit_id, submitted_at=response.submitted_at)  # fmt: skip
    response.delete()
    responses_dispatch(ResponsesDeleted([gone]))
    audit_record(organisation=gone.organisation_id, actor=actor, action="response.deleted", target_type="response",
                 target_id=gone.id, target_label=f"Response {gone.id}", before=snapshot)  # fmt: skip


# --- Review states (ODK Central's review workflow) -------------------------------------------------------------

REVIEWER_STATES = (ReviewState.HAS_ISSUES, ReviewState.APPROVED, ReviewState.REJECTED)  # set by people
REVIEW_COMMENT_MAX = 2000
HEADLINE_COLUMNS = ("nps_score", "csat_score", "ces_score", "age_group", "gender", "region")


def _require_reviewer(actor: User, response: Response) -> None:
    """Admins, analysts and unit managers whose units include the response's unit (interviewers and agents never
    review). Raises ``PermissionDeniedError`` (403)."""
    from heed.accounts.selectors import unit_ids_visible_to

    permissions.require(permissions.can_view_results(actor), "Your role does not allow reviewing responses.")
    permissions.require(actor.organisation_id == response.organisation_id, "This response is outside your scope.")
    units = unit_ids_visible_to(actor)
    permissions.require(units is None or response.unit_id in units, "This response is outside your scope.")


def _comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > REVIEW_COMMENT_MAX:
        raise ApplicationError(f"The comment is too long (at most {REVIEW_COMMENT_MAX} characters).",
                               code="comment_too_long")  # fmt: skip
    return comment


def _reviewed(response: Response, state: str) -> None:
    """Tell the registered handlers (rollup days marked and weighting schemes due again in this transaction:
    figures follow the new state). ``response`` is the locked row as it was before the change."""
    responses_dispatch(ResponsesReviewed([
        StoredResponse(id=response.id, organisation_id=response.organisation_id, survey_id=response.survey_id,
                       unit_id=response.unit_id, submitted_at=response.submitted_at, language=response.language,
                       submitted_by_id=response.submitted_by_id, client_key=response.client_key)
    ], state=state, previous_states={response.id: response.review_state}))  # fmt: skip


def _locked(response: Response) -> Response:
    """The response row, locked until the transaction ends (two reviewers never lose each other's change)."""
    return Response.objects.select_for_update().get(pk=response.pk)


def _actor_name(actor: User) -> str:
    return actor.get_username()[:150]


@transaction.atomic
def response_review_set(*, actor: User, response: Response, state: str, comment: str = "") -> ResponseReview:
    """Set a response's review state to ``has_issues``, ``approved`` or ``rejected`` with an optional comment (at
    most 2000 characters), as ``actor``; setting the state it already has records the comment. Returns the
    history row (from, to, who, when, comment). Rejected responses count in no figure unless a filter asks for
    them; the response's day is marked, so rollups and cached analytics follow. Recorded in the audit log.

    Raises ``PermissionDeniedError`` (403: not an admin, analyst or unit manager of the response's unit) and
    ``ApplicationError`` (400: ``invalid_review_state`` for received, edited or an unknown state;
    ``comment_too_long``)."""
    from heed.governance.services import audit_record

    _require_reviewer(actor, response)
    if state not in REVIEWER_STATES:
        raise ApplicationError(
            "A reviewer sets has_issues, approved or rejected (received and edited are set by Heed).",
            code="invalid_review_state",
        )
    comment = _comment(comment)
    current = _locked(response)
    review = ResponseReview.objects.create(
        response=current, actor=actor, actor_name=_actor_name(actor), from_state=current.review_state,
        to_state=state, comment=comment,
    )  # fmt: skip
    if current.review_state != state:
        Response.objects.filter(pk=current.pk).update(review_state=state)
        _reviewed(current, state)
    response.review_state = state
    audit_record(organisation=current.organisation_id, actor=actor, action="response.reviewed",
                 target_type="response", target_id=current.id, target_label=f"Response {current.id}",
                 before={"review_state": review.from_state}, after={"review_state": state})  # fmt: skip
    return review


def _stored_answers(response: Response) -> dict[str, AnswerValue]:
    return {a.question_key: a.value for a in Answer.objects.filter(response=response) if a.value is not None}


@transaction.atomic
def response_edit(*, actor: User, response: Response, answers: dict[str, Any], comment: str = "") -> ResponseReview:
    """Replace a response's answers by ``answers`` (question key -> value, as ``POST /api/responses`` takes them),
    validated against the survey version the response was taken on (the submissions' rules: skip logic, required
    questions, bounds), as ``actor``. The previous answers and headline scores are kept in the history row
    (``previous_answers``), the headline scores and demographics are derived again, and the state becomes
    ``edited``; the response's day is marked, so rollups and cached analytics follow. Changed open-text answers are
    new answer rows (text analytics reads them again through its reconciliation). Recorded in the audit log.

    Raises ``PermissionDeniedError`` (403, as ``response_review_set``), ``SubmissionError`` (invalid answers:
    one error per question key), ``ApplicationError`` (400: ``answers_unchanged`` when nothing differs,
    ``comment_too_long``)."""
    from heed.governance.services import audit_record

    _require_reviewer(actor, response)
    comment = _comment(comment)
    current = _locked(response)
    definition = version_definition(current.version)
    cleaned, screened_at = clean_submission_screened(definition, answers)
    previous = _stored_answers(current)
    if cleaned == previous:
        raise ApplicationError("The answers are the same as the stored ones; nothing was changed.",
                               code="answers_unchanged")  # fmt: skip
    snapshot = {"answers": previous, "scores": {column: getattr(current, column) for column in HEADLINE_COLUMNS}}
    changed = {key for key in previous.keys() | cleaned.keys() if previous.get(key) != cleaned.get(key)}
    Answer.objects.filter(response=current, question_key__in=changed).delete()
    types = {q.key: q.type for q in definition.questions}
    Answer.objects.bulk_create(
        [answer_row(current, key, types[key], value) for key, value in cleaned.items() if key in changed]
    )
    headlines: dict[str, Any] = {"nps_score": None, "csat_score": None, "ces_score": None, "age_group": "",
                                 "gender": "", "region": ""}  # fmt: skip
    headlines.update(headline_fields(definition, cleaned, screened_at))
    Response.objects.filter(pk=current.pk).update(review_state=ReviewState.EDITED, **headlines)
    review = ResponseReview.objects.create(
        response=current, actor=actor, actor_name=_actor_name(actor), from_state=current.review_state,
        to_state=ReviewState.EDITED, comment=comment, previous_answers=snapshot,
    )  # fmt: skip
    _reviewed(current, ReviewState.EDITED)
    for column, value in headlines.items():
        setattr(response, column, value)
    response.review_state = ReviewState.EDITED
    audit_record(organisation=current.organisation_id, actor=actor, action="response.edited",
                 target_type="response", target_id=current.id, target_label=f"Response {current.id}",
                 before={"review_state": review.from_state, "questions_changed": sorted(changed)},
                 after={"review_state": ReviewState.EDITED})  # fmt: skip
    return review
