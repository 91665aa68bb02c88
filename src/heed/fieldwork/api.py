"""The fieldwork API router (mounted at ``/api/fieldwork``): the interviewer app's sync, an interview's ODK
audit trail."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from ninja import Router

from heed.accounts import permissions
from heed.accounts.selectors import organisation_id_of, unit_ids_visible_to
from heed.api.schemas import ErrorOut
from heed.core.bounds import DbId
from heed.core.errors import ConflictError, NotFoundError
from heed.fieldwork.audit_export import audit_csv
from heed.fieldwork.backup import BACKUP_API_MAX_BYTES, backup_upload
from heed.fieldwork.device_forms import interviewer_forms
from heed.fieldwork.schemas import BackupOut, FormsOut, InterviewIn, SyncIn, SyncOut
from heed.fieldwork.selectors import interview_record_get
from heed.fieldwork.status import interviewer_assignments, interviewer_quotas
from heed.fieldwork.sync import Interview, SyncItem, interviews_sync
from heed.responses.selectors import interviewer_reviews, response_get
from heed.surveys.answering import SubmissionError
from heed.surveys.i18n_strings import UI_STRINGS

router = Router(tags=["fieldwork"])


def _answer_errors(exc: SubmissionError) -> dict[str, str]:
    english = UI_STRINGS["en"]
    return {
        key: english.get(error.key, "This question does not exist in the survey.").format(**error.params)
        for key, error in exc.errors.items()
    }


def _scoped(user, error: ConflictError) -> ConflictError:
    """A conflict names the stored response only if the caller may see it (else: just "key used")."""
    response_id = error.extra.get("response_id")
    if response_id is None or response_get(user=user, response_id=response_id) is not None:
        return error
    return ConflictError("This client_key was already used for another response.", code="client_key_used")


def _item(user, item: SyncItem) -> dict:
    outcome = item.outcome
    out: dict = {"index": item.index, "client_key": item.client_key, "status": outcome.status,
                 "http_status": item.http_status, "quota": item.quota,
                 "response_id": outcome.response_id}  # fmt: skip
    error = outcome.error
    if isinstance(error, ConflictError):
        error = _scoped(user, error)
    if isinstance(error, SubmissionError):
        out.update(code="invalid_answers", detail="Some answers are not valid.", errors=_answer_errors(error))
    elif error is not None:
        out.update(code=error.code, detail=error.message)
        out["response_id"] = error.extra.get("response_id", out["response_id"])
    return out


def _interview(parsed: InterviewIn) -> Interview:
    """The sync's Interview from the parsed item, as ``Interview(**parsed.model_dump())`` gives it without dumping
    the answers (already plain JSON values) again."""
    return Interview(
        client_key=parsed.client_key, survey_id=parsed.survey_id, version=parsed.version, unit_id=parsed.unit_id,
        language=parsed.language, answers=parsed.answers, started_at=parsed.started_at,
        submitted_at=parsed.submitted_at, complete=parsed.complete,
        location=parsed.location.model_dump() if parsed.location is not None else None,
        audit=[event.model_dump() for event in parsed.audit],
    )  # fmt: skip


@router.post("/sync", response={200: SyncOut, 400: ErrorOut, 403: ErrorOut, 422: ErrorOut})
def fieldwork_sync(request: HttpRequest, payload: SyncIn):
    """The interviewer app's sync (session or token): up to 500 interviews, each through the same ingestion
    and client_key rules as ``POST /api/responses``, stored against the survey version it was taken on. Always
    200 for a well-formed request: each interview has its own outcome (``created`` 201, ``replayed`` 200,
    ``conflict`` 409 ``closed``/``client_key_conflict``/``client_key_deleted``, ``forbidden`` 403
    ``not_assigned``, ``invalid`` 4xx) and ``quota`` (``screened_in`` / ``over_quota``: over-quota interviews
    are stored, never rejected). The answer also holds the caller's assignments with progress and the status
    of the quotas of their surveys (not when ``last_batch`` is false: more batches follow, and the last one brings
    them), and the device's ``last_sync_at`` is recorded."""
    user = request.auth  # type: ignore[attr-defined]
    permissions.require(permissions.can_submit_responses(user))
    interviews = [_interview(i) for i in payload.interviews]
    result = interviews_sync(interviewer=user, device_id=uuid.UUID(payload.device_id), app_version=payload.app_version,
                             unsent_count=payload.unsent_count, oldest_unsent_at=payload.oldest_unsent_at,
                             interviews=interviews)  # fmt: skip
    items = [_item(user, item) for item in result.items]
    counts = {status: sum(i["status"] == status for i in items)
              for status in ("created", "replayed", "conflict", "forbidden", "invalid")}  # fmt: skip
    reply = {"device_id": result.device_id, "synced_at": result.synced_at, **counts, "items": items,
             "assignments": None, "quotas": None, "reviews": None}  # fmt: skip
    if payload.last_batch:  # the device's status, once per sync (the last batch) instead of once per batch
        assignments = interviewer_assignments(interviewer=user)
        reply.update(assignments=assignments, quotas=interviewer_quotas(interviewer=user, assignments=assignments),
                     reviews=interviewer_reviews(interviewer_id=user.id))  # fmt: skip
    return reply


@router.get("/responses/{response_id}/audit.csv", response={200: None, 403: ErrorOut, 404: ErrorOut})
def fieldwork_audit_csv(request: HttpRequest, response_id: DbId):
    """One interview's ODK audit trail as CSV (text/csv; columns ``event,node,start,end,latitude,longitude,
    accuracy,old-value,new-value,user``; times in epoch ms, accuracy in metres; formula-guarded text). For
    supervisors, analysts and admins whose units include the interview's unit; 404 for a response without an
    interview record (not taken through the interviewer app) or outside the caller's units."""
    user = request.auth  # type: ignore[attr-defined]
    permissions.require(permissions.can_view_results(user))
    record = interview_record_get(organisation_id=organisation_id_of(user), unit_ids=unit_ids_visible_to(user),
                                  response_id=response_id)  # fmt: skip
    if record is None:
        raise NotFoundError("No interview record for this response.")
    body = audit_csv(record.audit, user=record.interviewer.username)
    answer = HttpResponse(body, content_type="text/csv; charset=utf-8")
    answer["Content-Disposition"] = f'attachment; filename="audit-{response_id}.csv"'
    return answer


@router.post("/backups", response={200: BackupOut, 403: ErrorOut, 422: ErrorOut})
def fieldwork_backup_upload(request: HttpRequest):
    """Upload an interviewer app's backup file as the request body (JSON, contract 3: ``{"format":
    "heed-interviews-backup", "format_version": 1, "device_id", "interviewer", "created_at", "interviews"}``, at
    most 5 MB), for files too large for the supervisor page's form. Its interviews go through the sync as that
    interviewer (client_key rules: a second upload stores nothing new). Supervisors, analysts and admins whose
    units include all of the interviewer's; 422 ``backup_invalid`` with a message in plain words for a file that
    cannot be used."""
    user = request.auth  # type: ignore[attr-defined]
    permissions.require(permissions.can_view_results(user))
    result = backup_upload(actor=user, data=request.body, max_bytes=BACKUP_API_MAX_BYTES)
    return {"interviewer": result.interviewer, "created": result.created, "replayed": result.replayed,
            "refused": result.refused}  # fmt: skip


@router.get("/forms", response={200: FormsOut, 403: ErrorOut})
def fieldwork_forms(request: HttpRequest):
    """The forms the caller's interviewer app keeps for offline work (session or token): one per assigned survey
    with a published version, with that version's number, its definition in every language, the skip-logic rules
    the app evaluates with ``conditions.js``, the public titles, the respondent strings of each language and the
    units where the caller is assigned. 403 for a role that cannot take interviews."""
    user = request.auth  # type: ignore[attr-defined]
    permissions.require(permissions.can_submit_responses(user))
    return interviewer_forms(interviewer=user)
