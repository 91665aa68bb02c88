"""Speeding (research b.4.10): duration < 0.5 × median of >= 30 comparable completes."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heed.fieldwork_rules.flags import FlagCode
from heed.fieldwork_rules.speeding import ComparableDurations, SpeedingStatus, check_speeding, check_speeding_each


def test_140_seconds_against_forty_300s_is_speeding() -> None:
    check = check_speeding(140, [300] * 40)
    assert check.status is SpeedingStatus.SPEEDING
    assert check.median_seconds == 300
    assert check.threshold_seconds == 150
    assert check.comparable_n == 40
    assert check.flag is not None and check.flag.code is FlagCode.SPEEDING
    assert check.flag.detail["threshold_seconds"] == 150


def test_160_seconds_against_forty_300s_is_not() -> None:
    check = check_speeding(160, [300] * 40)
    assert check.status is SpeedingStatus.OK
    assert check.flag is None


def test_only_twenty_earlier_completes_is_insufficient_data() -> None:
    check = check_speeding(10, [300] * 20)
    assert check.status is SpeedingStatus.INSUFFICIENT_DATA
    assert check.flag is None
    assert check.median_seconds is None and check.comparable_n == 20


def test_exactly_thirty_is_enough_and_29_is_not() -> None:
    assert check_speeding(10, [300] * 30).status is SpeedingStatus.SPEEDING
    assert check_speeding(10, [300] * 29).status is SpeedingStatus.INSUFFICIENT_DATA


def test_exactly_half_the_median_is_not_speeding() -> None:
    assert check_speeding(150, [300] * 40).status is SpeedingStatus.OK


def test_batch_finds_only_the_140_in_the_research_list() -> None:
    checks = check_speeding_each([300] * 40 + [140])
    assert [c.status for c in checks].count(SpeedingStatus.SPEEDING) == 1
    assert checks[-1].status is SpeedingStatus.SPEEDING
    assert checks[-1].median_seconds == 300
    assert all(c.status is SpeedingStatus.OK for c in check_speeding_each([300] * 40 + [160]))


def test_batch_empty_and_small_groups() -> None:
    assert check_speeding_each([]) == []
    checks = check_speeding_each([300] * 30)  # each has only 29 others
    assert {c.status for c in checks} == {SpeedingStatus.INSUFFICIENT_DATA}


def test_all_the_same_is_never_speeding() -> None:
    assert {c.status for c in check_speeding_each([200.0] * 50)} == {SpeedingStatus.OK}


@given(st.lists(st.floats(min_value=0, max_value=10_000), min_size=31, max_size=80))
def test_batch_median_is_the_leave_one_out_median(durations: list[float]) -> None:
    for index, check in enumerate(check_speeding_each(durations)):
        others = durations[:index] + durations[index + 1 :]
        assert check.median_seconds == pytest.approx(statistics.median(others))
        assert check.status == check_speeding(durations[index], others).status


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_bad_durations_are_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="duration"):
        check_speeding(bad, [300] * 40)
    with pytest.raises(ValueError, match="duration"):
        check_speeding(100, [300] * 39 + [bad])


def test_bad_fraction_is_refused() -> None:
    with pytest.raises(ValueError, match="fraction"):
        check_speeding(100, [300] * 40, fraction=0)


@given(st.lists(st.floats(min_value=0, max_value=10_000), min_size=0, max_size=60),
       st.lists(st.floats(min_value=0, max_value=10_000), min_size=1, max_size=40))  # fmt: skip
def test_a_running_window_checks_as_check_speeding_does(stored: list[float], arriving: list[float]) -> None:
    """A sync batch: each arriving interview against the stored ones and the batch's earlier ones."""
    window, others = ComparableDurations(stored), list(stored)
    for duration in arriving:
        assert window.check(duration) == check_speeding(duration, others)
        window.add(duration)
        others.append(duration)
    assert len(window) == len(others)
    assert window.median() == statistics.median(others)


def test_a_running_window_refuses_bad_durations_and_fractions() -> None:
    with pytest.raises(ValueError, match="duration"):
        ComparableDurations([300, float("nan")])
    window = ComparableDurations([300] * 40)
    with pytest.raises(ValueError, match="duration"):
        window.add(-1)
    with pytest.raises(ValueError, match="duration"):
        window.check(float("inf"))
    with pytest.raises(ValueError, match="fraction"):
        window.check(100, fraction=0)
    with pytest.raises(ValueError, match="no durations"):
        ComparableDurations().median()
