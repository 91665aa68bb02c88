"""The content fingerprint of a submission, which decides whether a resent ``client_key`` is a replay.

Content is: the survey, the answers after cleaning (question key -> number, text or list of option values),
the unit, the channel, the language and the touchpoint. Times (``started_at``, ``submitted_at``) and who
sent it are not content: a client that resends after a timeout may stamp a new time. Pure Python.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any


def _canonical(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)  # 7 and 7.0 are the same answer
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    return value


def submission_fingerprint(
    *,
    survey_id: int,
    answers: Mapping[str, Any],
    unit_id: int | None,
    channel: str,
    language: str,
    touchpoint: str,
) -> str:
    """SHA-256 (64 hex digits) of the canonical JSON of the content; equal content gives an equal digest."""
    canonical: dict[str, Any] = {}
    for key, value in answers.items():
        if value is not None:  # cleaned answers are mostly floats and strings already: canonical as they are
            canonical[key] = value if type(value) is float or type(value) is str else _canonical(value)
    content = {
        "survey": survey_id,
        "answers": canonical,
        "unit": unit_id,
        "channel": channel,
        "language": language,
        "touchpoint": touchpoint,
    }
    data = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode()).hexdigest()
