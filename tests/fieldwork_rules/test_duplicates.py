"""Possible duplicates (research b.4.12): same interviewer and unit, within 10 min, >= 90 % closed answers
equal, open-text similarity >= 90 (rapidfuzz ratio); both kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from heed.fieldwork_rules.duplicates import (
    InterviewAnswers,
    closed_agreement,
    find_possible_duplicates,
    text_similarity,
)
from heed.fieldwork_rules.flags import FlagCode

T0 = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
CLOSED = {f"q{i}": i % 3 for i in range(10)}
TEXT = {"why": "The staff were friendly but the queue at the till was far too long today."}


def interview(
    interview_id: str,
    minutes: float = 0,
    *,
    interviewer: str = "i1",
    unit: str = "u1",
    closed: dict[str, object] | None = None,
    text: dict[str, str] | None = None,
) -> InterviewAnswers:
    return InterviewAnswers(
        interview_id=interview_id,
        interviewer_id=interviewer,
        unit_id=unit,
        started_at=T0 + timedelta(minutes=minutes),
        closed=dict(CLOSED if closed is None else closed),
        open_text=dict(TEXT if text is None else text),
    )


def test_near_identical_pair_is_flagged_and_both_kept() -> None:
    near_text = {"why": "The staff were friendly but the queue at the till was far too long today!"}
    one_changed = {**CLOSED, "q9": 99}  # 9 of 10 closed answers equal = 90 %
    pairs = find_possible_duplicates([interview("a"), interview("b", 6, closed=one_changed, text=near_text)])
    assert len(pairs) == 1
    pair = pairs[0]
    assert (pair.first_id, pair.second_id) == ("a", "b")
    assert pair.closed_agreement == pytest.approx(0.9)
    assert pair.text_similarity is not None and pair.text_similarity >= 90
    assert pair.seconds_apart == 360
    flags = pair.flags()
    assert set(flags) == {"a", "b"}
    assert flags["a"].code is FlagCode.POSSIBLE_DUPLICATE and flags["a"].detail["other_interview_id"] == "b"
    assert flags["b"].detail["other_interview_id"] == "a"


def test_eighty_percent_closed_agreement_is_not_a_duplicate() -> None:
    two_changed = {**CLOSED, "q8": 99, "q9": 99}
    assert find_possible_duplicates([interview("a"), interview("b", 1, closed=two_changed)]) == []


def test_different_open_text_is_not_a_duplicate() -> None:
    other_text = {"why": "Parking was impossible and nobody could tell me where the shoes were."}
    assert find_possible_duplicates([interview("a"), interview("b", 1, text=other_text)]) == []


@pytest.mark.parametrize(
    "second",
    [
        {"minutes": 10.5},
        {"minutes": 1, "interviewer": "i2"},
        {"minutes": 1, "unit": "u2"},
    ],
)
def test_other_interviewer_unit_or_more_than_ten_minutes_is_not_compared(second: dict[str, object]) -> None:
    assert find_possible_duplicates([interview("a"), interview("b", **second)]) == []  # type: ignore[arg-type]


def test_exactly_ten_minutes_apart_is_compared() -> None:
    assert len(find_possible_duplicates([interview("a"), interview("b", 10)])) == 1


def test_three_copies_give_three_pairs_in_any_input_order() -> None:
    pairs = find_possible_duplicates([interview("c", 8), interview("a"), interview("b", 4)])
    assert [(p.first_id, p.second_id) for p in pairs] == [("a", "b"), ("a", "c"), ("b", "c")]


def test_no_open_text_relies_on_closed_answers() -> None:
    pairs = find_possible_duplicates([interview("a", text={}), interview("b", 2, text={})])
    assert len(pairs) == 1 and pairs[0].text_similarity is None


def test_empty_and_single_inputs() -> None:
    assert find_possible_duplicates([]) == []
    assert find_possible_duplicates([interview("a")]) == []


def test_no_closed_answers_are_never_compared() -> None:
    assert find_possible_duplicates([interview("a", closed={}), interview("b", 1, closed={})]) == []


def test_measures() -> None:
    assert closed_agreement({"a": 1, "b": 2}, {"a": 1, "c": 3}) == pytest.approx(1 / 3)
    assert closed_agreement({}, {}) is None
    assert text_similarity({"x": "this"}, {"x": "thus"}) == 75.0  # Indel: 100 × (1 - 2/8)
    assert text_similarity({"x": "Good SHOP!"}, {"x": "good shop"}) == 100.0  # default_process
    assert text_similarity({}, {"x": "  "}) is None


def test_naive_time_and_repeated_ids_are_refused() -> None:
    naive = InterviewAnswers("a", "i1", "u1", datetime(2026, 11, 30, 10, 0))  # noqa: DTZ001
    with pytest.raises(ValueError, match="timezone-aware"):
        find_possible_duplicates([naive])
    with pytest.raises(ValueError, match="twice"):
        find_possible_duplicates([interview("a"), interview("a", 1)])
