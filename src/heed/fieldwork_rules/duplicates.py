"""Possible duplicate interviews: one interview entered twice, or two made up from one.

Rule (capabilities research b.4.12): two interviews by the same interviewer at the same unit, started within
10 minutes of each other, with at least 90 % of their closed answers equal and open-text similarity of at
least 90 (rapidfuzz ``ratio``, 0-100) form a ``possible_duplicate`` pair; both are flagged and both kept.

Details:
* Closed answers are compared over the questions either interview answered: agreement = equal answers /
  questions answered in either (a question answered in only one counts as different). A pair with no closed
  answer at all is not compared.
* Open texts are joined in question-key order (a question answered in only one contributes an empty text)
  and compared with ``rapidfuzz.fuzz.ratio`` after ``rapidfuzz.utils.default_process`` (lower case, only
  letters and digits). When neither interview has open text the text condition holds.

Sources: Qualtrics flags duplicates (RelevantID, research B3.1) and SurveyMonkey copy-pasted answers (B3.2);
the normalised Indel similarity is rapidfuzz's ``fuzz.ratio`` (Bachmann, M., RapidFuzz 3.14.6,
https://github.com/rapidfuzz/RapidFuzz): 100 × (1 - Indel distance / (len(a) + len(b))).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from rapidfuzz import fuzz, utils

from heed.fieldwork_rules.flags import Flag, FlagCode

WINDOW = timedelta(minutes=10)
MIN_CLOSED_AGREEMENT = 0.9
MIN_TEXT_SIMILARITY = 90.0


@dataclass(frozen=True)
class InterviewAnswers:
    """What the duplicate check needs of one interview. ``started_at`` must be timezone-aware; ``closed``
    maps question keys to answers compared with ``==`` (a choice, a number, a list of choices); ``open_text``
    maps question keys to free text."""

    interview_id: str
    interviewer_id: str
    unit_id: str
    started_at: datetime
    closed: Mapping[str, object] = field(default_factory=dict)
    open_text: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DuplicatePair:
    """Two interviews that look like one: ids in start order, the closed agreement (0-1), the text
    similarity (0-100, ``None`` when neither had open text) and the start gap in seconds."""

    first_id: str
    second_id: str
    closed_agreement: float
    text_similarity: float | None
    seconds_apart: float

    def flags(self) -> dict[str, Flag]:
        """One ``possible_duplicate`` flag per interview of the pair, by interview id, naming the other."""
        common = {
            "closed_agreement": round(self.closed_agreement, 4),
            "text_similarity": None if self.text_similarity is None else round(self.text_similarity, 2),
            "seconds_apart": self.seconds_apart,
        }
        return {
            self.first_id: Flag(FlagCode.POSSIBLE_DUPLICATE, {"other_interview_id": self.second_id, **common}),
            self.second_id: Flag(FlagCode.POSSIBLE_DUPLICATE, {"other_interview_id": self.first_id, **common}),
        }


def closed_agreement(a: Mapping[str, object], b: Mapping[str, object]) -> float | None:
    """Share of the questions answered in either mapping that have equal answers; ``None`` when none."""
    keys = set(a) | set(b)
    if not keys:
        return None
    equal = sum(1 for k in keys if k in a and k in b and a[k] == b[k])
    return equal / len(keys)


def text_similarity(a: Mapping[str, str], b: Mapping[str, str]) -> float | None:
    """rapidfuzz ``ratio`` (0-100) of the open texts joined in key order; ``None`` when neither has text."""
    keys = sorted(k for k in set(a) | set(b) if (a.get(k) or "").strip() or (b.get(k) or "").strip())
    if not keys:
        return None
    left = "\n".join(a.get(k) or "" for k in keys)
    right = "\n".join(b.get(k) or "" for k in keys)
    return float(fuzz.ratio(left, right, processor=utils.default_process))


def find_possible_duplicates(
    interviews: Iterable[InterviewAnswers],
    *,
    window: timedelta = WINDOW,
    min_closed_agreement: float = MIN_CLOSED_AGREEMENT,
    min_text_similarity: float = MIN_TEXT_SIMILARITY,
) -> list[DuplicatePair]:
    """All possible-duplicate pairs among ``interviews`` (the earlier-started one first), sorted by id.

    Only interviews of the same interviewer and unit whose starts lie within ``window`` are compared (sorted
    by start, so the work is about n × interviews per window). Raises ``ValueError`` for a naive
    ``started_at`` or a repeated interview id.
    """
    groups: dict[tuple[str, str], list[InterviewAnswers]] = defaultdict(list)
    seen: set[str] = set()
    for interview in interviews:
        if interview.started_at.tzinfo is None:
            raise ValueError(f"interview {interview.interview_id}: started_at must be timezone-aware")
        if interview.interview_id in seen:
            raise ValueError(f"interview {interview.interview_id} is listed twice")
        seen.add(interview.interview_id)
        groups[(interview.interviewer_id, interview.unit_id)].append(interview)
    pairs: list[DuplicatePair] = []
    for members in groups.values():
        members.sort(key=lambda i: (i.started_at, i.interview_id))
        for index, first in enumerate(members):
            for second in members[index + 1 :]:
                gap = second.started_at - first.started_at
                if gap > window:
                    break
                pair = _compare(first, second, gap, min_closed_agreement, min_text_similarity)
                if pair is not None:
                    pairs.append(pair)
    pairs.sort(key=lambda p: (p.first_id, p.second_id))
    return pairs


def _compare(
    first: InterviewAnswers,
    second: InterviewAnswers,
    gap: timedelta,
    min_closed_agreement: float,
    min_text_similarity: float,
) -> DuplicatePair | None:
    agreement = closed_agreement(first.closed, second.closed)
    if agreement is None or agreement < min_closed_agreement:
        return None
    similarity = text_similarity(first.open_text, second.open_text)
    if similarity is not None and similarity < min_text_similarity:
        return None
    return DuplicatePair(first.interview_id, second.interview_id, agreement, similarity, gap.total_seconds())
