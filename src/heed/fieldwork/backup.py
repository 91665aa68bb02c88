"""A supervisor uploads an interviewer app's backup file (contract 3; research b.4.5).

The file is JSON: ``{"format": "heed-interviews-backup", "format_version": 1, "device_id": uuid,
"interviewer": username, "created_at": ISO datetime, "interviews": [InterviewIn, ...]}``. Its interviews run
through ``heed.fieldwork.sync.interviews_sync`` as that interviewer with the file's device id, so the client_key
rules apply: uploading the same file again stores nothing new (every interview comes back ``replayed``). The
device's own sync record (last sync, unsent count) is left as the device last reported it.

Refusals (``BackupRefusedError``, an ApplicationError with a message in plain words, never a 500): a file that is
not UTF-8 JSON, not this format or version, larger than :data:`BACKUP_MAX_BYTES`, with more than
:data:`BACKUP_MAX_INTERVIEWS` interviews, naming no active interviewer of the organisation, or one whose units
are not all within the supervisor's units. Interviews that are themselves invalid are reported one by one
(``invalid``), the others stored.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import ValidationError

from heed.accounts.selectors import interviewer_list, organisation_id_of, unit_ids_visible_to
from heed.core.errors import ApplicationError
from heed.fieldwork.schemas import SYNC_BATCH_MAX, InterviewIn
from heed.fieldwork.sync import Interview, interviews_sync

if TYPE_CHECKING:
    from heed.accounts.models import User

BACKUP_FORMAT = "heed-interviews-backup"
BACKUP_FORMAT_VERSION = 1
BACKUP_MAX_BYTES = 900_000  # below the pages' body limit (HEED_PAGE_MAX_BODY_BYTES, 1 MiB) with the form around it
BACKUP_API_MAX_BYTES = 5_000_000  # POST /api/fieldwork/backups: below the API's body limit (5 MiB)
BACKUP_MAX_INTERVIEWS = 5000


class BackupRefusedError(ApplicationError):
    """The file as a whole cannot be used; ``message`` says why."""

    status_code = 422

    def __init__(self, message: str) -> None:
        super().__init__(message, code="backup_invalid")


@dataclass
class BackupResult:
    """What the upload did: counts by outcome and one line per interview not stored."""

    interviewer: str
    created: int = 0
    replayed: int = 0
    refused: list[str] = field(default_factory=list)


def _interviews(raw: object) -> tuple[list[Interview], list[str]]:
    if not isinstance(raw, list):
        raise BackupRefusedError("“interviews” must be a list.")
    if len(raw) > BACKUP_MAX_INTERVIEWS:
        raise BackupRefusedError(f"The file holds more than {BACKUP_MAX_INTERVIEWS} interviews.")
    interviews: list[Interview] = []
    problems: list[str] = []
    for number, item in enumerate(raw, start=1):
        try:
            parsed = InterviewIn.model_validate(item)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            problems.append(f"interview {number}: {where or 'interview'}: {first['msg']}")
            continue
        interviews.append(Interview(**parsed.model_dump()))
    return interviews, problems


def _interviewer(actor: User, username: object) -> User:
    if not isinstance(username, str) or not username:
        raise BackupRefusedError("The file names no interviewer.")
    interviewer = interviewer_list(organisation_id=organisation_id_of(actor)).filter(username=username).first()
    if interviewer is None:
        raise BackupRefusedError(f"“{username[:150]}” is not an active interviewer of your organisation.")
    visible = unit_ids_visible_to(actor)
    if visible is not None:
        units = set(interviewer.units.values_list("id", flat=True))
        if not units or not units <= visible:
            raise BackupRefusedError(f"{interviewer.username} works outside your units: ask an administrator.")
    return interviewer


def backup_upload(*, actor: User, data: bytes, max_bytes: int = BACKUP_MAX_BYTES) -> BackupResult:
    """Store the interviews of a backup file of at most ``max_bytes`` (module docstring). Raises
    BackupRefusedError."""
    if len(data) > max_bytes:
        raise BackupRefusedError(f"The file is larger than {max_bytes // 1000} kB.")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise BackupRefusedError("This is not a backup file of the interviewer app (not JSON).") from None
    if not isinstance(document, dict) or document.get("format") != BACKUP_FORMAT:
        raise BackupRefusedError("This is not a backup file of the interviewer app.")
    if document.get("format_version") != BACKUP_FORMAT_VERSION:
        raise BackupRefusedError("This backup file was written by a newer app: update Heed first.")
    try:
        device_id = uuid.UUID(str(document.get("device_id")))
    except ValueError:
        raise BackupRefusedError("The file has no valid device_id.") from None
    interviewer = _interviewer(actor, document.get("interviewer"))
    interviews, problems = _interviews(document.get("interviews"))
    result = BackupResult(interviewer=interviewer.username, refused=problems)
    for first in range(0, len(interviews), SYNC_BATCH_MAX):
        batch = interviews[first : first + SYNC_BATCH_MAX]
        synced = interviews_sync(interviewer=interviewer, device_id=device_id, app_version="", unsent_count=0,
                                 oldest_unsent_at=None, interviews=batch, record_device=False)  # fmt: skip
        for item in synced.items:
            status = item.outcome.status
            if status == "created":
                result.created += 1
            elif status == "replayed":
                result.replayed += 1
            else:
                error = item.outcome.error
                reason = getattr(error, "message", None) or "some answers are not valid"
                result.refused.append(f"interview {item.client_key}: {reason}")
    return result
