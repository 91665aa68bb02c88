"""Categories without a target share: keep them at their sample share, or leave them out (issue 7, point 5)."""

from __future__ import annotations

import numpy as np
import pytest

from heed.stats.weighting import rake, targets_for_sample

# 30 women, 50 men, 15 "other", 5 "na"; the census gives only female/male, half each.
GENDER = np.array(["female"] * 30 + ["male"] * 50 + ["other"] * 15 + ["na"] * 5, dtype=object)
TARGETS = {"gender": {"female": 0.5, "male": 0.5}}


def test_exclude_masks_out_unmatched_respondents_and_rakes_the_rest():
    mask, targets, report = targets_for_sample({"gender": GENDER}, TARGETS, unmatched="exclude")
    assert mask.sum() == 80 and not mask[80:].any()
    assert targets == TARGETS
    assert report.categories == {"gender": {"na": 5, "other": 15}} and report.respondents == 20
    weights = rake({"gender": GENDER[mask]}, targets).weights
    # Mean-1 weights over 80: women 40/30, men 40/50 (hand-worked post-stratification).
    assert weights[:30] == pytest.approx(np.full(30, 4 / 3)) and weights[30:] == pytest.approx(np.full(50, 0.8))


def test_keep_holds_unmatched_categories_at_their_sample_share():
    mask, targets, report = targets_for_sample({"gender": GENDER}, TARGETS, unmatched="keep")
    assert mask.all() and report.respondents == 20
    assert report.held_shares == {"gender": {"na": pytest.approx(0.05), "other": pytest.approx(0.15)}}
    # The named categories share what is left (80%) in the census proportions: 0.4 each.
    assert targets["gender"] == {"female": pytest.approx(0.4), "male": pytest.approx(0.4),
                                 "other": pytest.approx(0.15), "na": pytest.approx(0.05)}  # fmt: skip
    weights = rake({"gender": GENDER}, targets).weights
    assert weights[:30] == pytest.approx(np.full(30, 40 / 30))  # 0.4 * 100 / 30
    assert weights[30:80] == pytest.approx(np.full(50, 0.8))  # 0.4 * 100 / 50
    assert weights[80:] == pytest.approx(np.ones(20))  # kept at their base weight


def test_keep_with_base_weights_uses_the_base_weight_share():
    base = np.array([2.0] * 30 + [1.0] * 50 + [1.0] * 20)
    _mask, targets, report = targets_for_sample({"gender": GENDER}, TARGETS, unmatched="keep", base_weights=base)
    assert report.held_shares["gender"]["other"] == pytest.approx(15 / 130)  # 60 + 50 + 20 = 130


def test_nothing_unmatched_changes_nothing_and_bad_input_is_refused():
    sample = np.array(["female", "male", "male"], dtype=object)
    mask, targets, report = targets_for_sample({"gender": sample}, TARGETS, unmatched="keep")
    assert mask.all() and targets == TARGETS and report.respondents == 0 and report.categories == {}
    with pytest.raises(ValueError, match="unmatched must be one of"):
        targets_for_sample({"gender": sample}, TARGETS, unmatched="drop")
    with pytest.raises(ValueError, match="no respondent is in a category with a target share"):
        targets_for_sample({"gender": np.array(["other"], dtype=object)}, TARGETS, unmatched="keep")
