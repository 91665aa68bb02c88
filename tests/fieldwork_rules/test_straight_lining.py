"""Straight-lining (research b.4.11): longest run = battery length or IRV = 0, batteries of >= 5 items."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heed.fieldwork_rules.flags import FlagCode
from heed.fieldwork_rules.straight_lining import check_straight_lining, irv, longest_run


def test_six_fours_are_flagged() -> None:
    check = check_straight_lining([4, 4, 4, 4, 4, 4])
    assert check.assessed and check.flagged
    assert check.longest_run == 6 and check.irv == 0
    assert check.flag is not None and check.flag.code is FlagCode.STRAIGHT_LINING


def test_one_different_answer_is_not_flagged_longest_run_3() -> None:
    check = check_straight_lining([4, 4, 5, 4, 4, 4])
    assert check.assessed and not check.flagged
    assert check.longest_run == 3
    assert check.flag is None


def test_a_four_item_battery_is_never_flagged() -> None:
    check = check_straight_lining([4, 4, 4, 4])
    assert not check.assessed and not check.flagged


def test_five_items_is_enough() -> None:
    assert check_straight_lining([2, 2, 2, 2, 2]).flagged


def test_unanswered_items_are_left_out() -> None:
    assert check_straight_lining([4, None, 4, 4, 4, 4]).flagged
    assert not check_straight_lining([4, None, 4, None, 4, 4]).assessed


def test_empty_battery() -> None:
    check = check_straight_lining([])
    assert not check.assessed and check.longest_run == 0 and check.irv is None


def test_irv_is_the_sample_standard_deviation() -> None:
    # careless::irv(c(1, 2, 3, 4, 5)) = sd = sqrt(2.5)
    assert irv([1, 2, 3, 4, 5]) == pytest.approx(math.sqrt(2.5))
    assert irv([3]) is None


def test_longest_run_known_values() -> None:
    assert longest_run([1, 1, 2, 2, 2, 1]) == 3
    assert longest_run([1, 2, 1, 2]) == 1
    assert longest_run([]) == 0


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=5, max_size=20))
def test_flag_means_all_answers_equal(answers: list[int]) -> None:
    check = check_straight_lining(answers)
    assert check.flagged == (len(set(answers)) == 1)
    assert check.flagged == (check.irv == 0)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        check_straight_lining([1, 2, float("nan"), 3, 4])
    with pytest.raises(ValueError, match="min_items"):
        check_straight_lining([1, 1], min_items=1)
