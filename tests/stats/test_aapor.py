"""AAPOR outcome rates against the research's worked example (b.4.18) and ropensci/outcomerate's own tests."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from heed.core.languages import codes as language_codes
from heed.stats.aapor import (
    CATEGORIES,
    RATE_NAMES,
    DispositionCounts,
    category_of,
    counts_from_codes,
    disposition_codes,
    eligibility_rate,
    outcome_rates,
)

# capabilities-research b.4.18
RESEARCH = DispositionCounts(I=4, P=2, R=1, NC=1, O=1, UH=1, UO=1, NE=1)

# ropensci/outcomerate tests/testthat/test-rate.R: the vector x1 and its expected rates at e = 0.5
OUTCOMERATE_X1 = ["I", "P", "I", "NC", "UH", "I", "R", "UO", "I", "O", "P", "I", "R", "O", "P", "NE"]
OUTCOMERATE_RES1 = {
    "RR1": 1 / 3, "RR2": 8 / 15, "RR3": 5 / 14, "RR4": 4 / 7, "RR5": 5 / 13, "RR6": 8 / 13,
    "COOP1": 5 / 12, "COOP2": 2 / 3, "COOP3": 1 / 2, "COOP4": 4 / 5,
    "REF1": 2 / 15, "REF2": 1 / 7, "REF3": 2 / 13,
    "CON1": 4 / 5, "CON2": 6 / 7, "CON3": 12 / 13,
}  # fmt: skip


def test_research_example_eligibility_rate_is_0_9() -> None:
    assert eligibility_rate(RESEARCH) == pytest.approx(0.9)


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("RR1", 0.364), ("RR2", 0.545), ("RR3", 0.370), ("COOP1", 0.500), ("REF1", 0.091), ("CON1", 0.727)],
)
def test_research_example_rates(rate: str, expected: float) -> None:
    rates = outcome_rates(RESEARCH)
    assert rates.e == pytest.approx(0.9)
    value = rates[rate]
    assert value is not None
    assert round(value, 3) == expected


def test_research_example_exact_fractions() -> None:
    rates = outcome_rates(RESEARCH)
    assert rates["RR1"] == pytest.approx(4 / 11)
    assert rates["RR3"] == pytest.approx(4 / 10.8)
    assert rates["CON1"] == pytest.approx(8 / 11)


def test_outcomerate_known_values_at_e_one_half() -> None:
    counts = counts_from_codes(OUTCOMERATE_X1)
    rates = outcome_rates(counts, e=0.5)
    assert set(rates.rates) == set(RATE_NAMES) == set(OUTCOMERATE_RES1)
    for name, expected in OUTCOMERATE_RES1.items():
        assert rates[name] == pytest.approx(expected), name


def test_outcomerate_weighted_rr2() -> None:
    # test-rate.R: unequal weights give RR2w = 19.3 / 37.2
    weights = [3.2, 0.4, 4.9, 3.8, 1.6, 3.3, 1.3, 2.2, 3.5, 3.6, 0.1, 1.6, 1.1, 4.3, 2.3, 0.6]
    counts = counts_from_codes(OUTCOMERATE_X1, weights)
    assert outcome_rates(counts)["RR2"] == pytest.approx(19.3 / 37.2)


def test_outcomerate_low_count_case_gives_zeros_and_undefined() -> None:
    # test-rate.R "Low-count outcome cases": a single UO at e = 0.3 (NaN there, None here)
    rates = outcome_rates(DispositionCounts(UO=1), e=0.3)
    assert rates["RR1"] == 0 and rates["RR3"] == 0 and rates["REF2"] == 0 and rates["CON1"] == 0
    for name in ("RR5", "RR6", "COOP1", "COOP2", "COOP3", "COOP4", "REF3", "CON3"):
        assert rates[name] is None, name


def test_empty_counts_give_no_rate_and_no_e() -> None:
    rates = outcome_rates(DispositionCounts())
    assert rates.e is None
    assert all(value is None for value in rates.rates.values())


def test_e_unknown_leaves_the_e_rates_undefined_but_not_the_others() -> None:
    rates = outcome_rates(DispositionCounts(UH=2, UO=1))
    assert rates.e is None
    assert rates["RR3"] is None and rates["RR4"] is None and rates["REF2"] is None and rates["CON2"] is None
    assert rates["RR1"] == 0


def test_all_completes_give_rate_one() -> None:
    rates = outcome_rates(DispositionCounts(I=7))
    assert all(rates[name] == 1 for name in ("RR1", "RR2", "RR3", "RR4", "RR5", "RR6", "COOP1", "CON1"))
    assert rates["REF1"] == 0


@pytest.mark.parametrize("bad_e", [-0.1, 1.5])
def test_e_outside_unit_interval_is_refused(bad_e: float) -> None:
    with pytest.raises(ValueError, match="e must lie"):
        outcome_rates(RESEARCH, e=bad_e)


def test_negative_or_unknown_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        DispositionCounts(I=-1)
    with pytest.raises(ValueError, match="finite"):
        DispositionCounts(R=float("nan"))
    with pytest.raises(ValueError, match="unknown disposition classes"):
        DispositionCounts.from_mapping({"I": 1, "X": 2})
    assert DispositionCounts.from_mapping({"I": 3, "NE": 1}) == DispositionCounts(I=3, NE=1)


@given(st.lists(st.integers(min_value=0, max_value=50), min_size=9, max_size=9), st.floats(0, 1))
def test_rates_are_proportions_ordered_as_aapor_says(values: list[int], e: float) -> None:
    counts = DispositionCounts.from_mapping(dict(zip(CATEGORIES, values, strict=True)))
    rates = outcome_rates(counts, e=e)
    for name, value in rates.rates.items():
        assert value is None or 0 <= value <= 1 + 1e-12, name
    # counting partials as respondents never lowers a rate; e <= 1 and known eligible only raise it
    pairs = [("RR1", "RR2"), ("RR1", "RR3"), ("RR3", "RR5"), ("RR2", "RR4"), ("RR4", "RR6"), ("COOP1", "COOP3")]
    for low, high in pairs:
        lo, hi = rates[low], rates[high]
        if lo is not None and hi is not None:
            assert lo <= hi + 1e-12, (low, high)


def test_ur_counts_as_unknown_like_uo_with_one_e() -> None:
    # 10th edition: 3.20 moved from UO to the new UR; with a single e the rates do not change
    as_uo = outcome_rates(DispositionCounts(I=4, P=2, R=1, NC=1, O=1, UH=1, UO=3, NE=1), e=0.9)
    as_ur = outcome_rates(DispositionCounts(I=4, P=2, R=1, NC=1, O=1, UH=1, UO=1, UR=2, NE=1), e=0.9)
    assert as_ur.rates == pytest.approx(as_uo.rates)
    assert as_ur["RR1"] == pytest.approx(4 / 13)


def test_e_by_unknown_class() -> None:
    counts = DispositionCounts(I=4, P=2, R=1, NC=1, O=1, UH=1, UR=2, UO=1, NE=1)
    rates = outcome_rates(counts, e={"UH": 0.4, "UR": 0.7, "UO": 0.2})
    # RR3 = I / (I+P+R+NC+O + 0.4 UH + 0.7 UR + 0.2 UO) = 4 / (9 + 0.4 + 1.4 + 0.2)
    assert rates["RR3"] == pytest.approx(4 / 11.0)
    assert rates["CON2"] == pytest.approx(8 / 11.0)
    assert rates.e == {"UH": 0.4, "UR": 0.7, "UO": 0.2}
    assert rates["RR1"] == pytest.approx(4 / 13)
    with pytest.raises(ValueError, match="exactly"):
        outcome_rates(counts, e={"UH": 0.4})
    with pytest.raises(ValueError, match="e must lie"):
        outcome_rates(counts, e={"UH": 0.4, "UR": 1.7, "UO": 0.2})


def test_disposition_codes_cover_all_classes_and_six_languages() -> None:
    codes = disposition_codes()
    assert {c.category for c in codes.values() if c.category} == set(CATEGORIES)
    for entry in codes.values():
        assert set(entry.labels) == set(language_codes()), entry.code  # the one language registry
        assert all(label.strip() for label in entry.labels.values()), entry.code
    raw = json.loads(resources.files("heed.stats").joinpath("data/aapor_dispositions.json").read_text("utf-8"))
    assert len(raw["codes"]) == len(codes)  # no code listed twice
    assert codes["1.1"].label("hr") == "Potpuni intervju"
    assert codes["2.20"].label("en") == "Non-contact"


@pytest.mark.parametrize(
    ("code", "category"),
    [("1.1", "I"), ("1.2", "P"), ("2.112", "R"), ("2.111a", "R"), ("2.20", "NC"), ("2.221", "NC"),
     ("2.31", "O"), ("3.13", "UH"), ("3.20", "UR"), ("3.21", "UR"), ("3.90", "UO"), ("4.32", "NE"),
     ("4.80", "NE"), ("NC", "NC")],
)  # fmt: skip
def test_category_of_codes(code: str, category: str) -> None:
    assert category_of(code) == category


def test_unknown_codes_and_headings_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        category_of("9.99")
    with pytest.raises(ValueError, match="heading"):
        category_of("1.0")
    with pytest.raises(ValueError, match="weights"):
        counts_from_codes(["1.1"], [1.0, 2.0])


def test_counts_from_aapor_codes() -> None:
    counts = counts_from_codes(["1.1", "1.1", "1.2", "2.112", "2.20", "3.13", "4.32"])
    assert counts == DispositionCounts(I=2, P=1, R=1, NC=1, UH=1, NE=1)
