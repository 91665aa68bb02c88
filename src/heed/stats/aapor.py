"""AAPOR outcome rates (response, cooperation, refusal, contact) from final disposition counts.

References
----------
* The American Association for Public Opinion Research (2023), *Standard Definitions: Final
  Dispositions of Case Codes and Outcome Rates for Surveys*, 10th edition ("Calculating rates from
  response distributions": RR1-RR6, COOP1-COOP4, REF1-REF3, CON1-CON3).
* Peer package: ropensci/outcomerate (R, Pilliard Hellwig; CC0): ``R/outcomerate.R`` and its formula matrix
  ``data-raw/fmat.csv`` (1.0.1); ``tests/testthat/test-rate.R`` holds the known values that
  ``tests/stats/test_aapor.py`` reproduces. Its 1.1.0 (2026) follows the 10th edition as this module does:
  the new class UR (code 3.20, unknown whether the unit holds an eligible respondent; the 9th edition counted
  it in UO) and an ``e`` per unknown class (``e = {"UH": 0.4, "UR": 0.7, "UO": 0.2}``).
* ``e``, the estimated share of cases of unknown eligibility that are eligible, defaults to the
  eligibility rate of the AAPOR Outcome Rate Calculator (version 4.0, 2016), as in outcomerate's
  ``eligibility_rate()``: ``e = (I + P + R + NC + O) / (I + P + R + NC + O + NE)``.

The nine disposition classes: I complete interview, P partial interview, R refusal and break-off, NC
non-contact, O other (eligible, non-interview), UH unknown if household / unit, UR unknown if eligible
respondent, UO unknown, other, NE not eligible. ``U`` below is UH + UR + UO; with one ``e``, ``eU`` is
e × U, with one per class it is e_UH × UH + e_UR × UR + e_UO × UO.

The codes of each class (1.1, 2.112, 4.32, ...) with their labels in Heed's six languages are in
``heed/stats/data/aapor_dispositions.json`` (:func:`disposition_codes`, :func:`counts_from_codes`).

A rate whose denominator is 0 is undefined and returned as ``None`` (outcomerate returns NaN).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any

CATEGORIES = ("I", "P", "R", "NC", "O", "UH", "UR", "UO", "NE")
UNKNOWN_CATEGORIES = ("UH", "UR", "UO")
RATE_NAMES = (
    "RR1", "RR2", "RR3", "RR4", "RR5", "RR6",
    "COOP1", "COOP2", "COOP3", "COOP4",
    "REF1", "REF2", "REF3",
    "CON1", "CON2", "CON3",
)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class DispositionCounts:
    """Final disposition counts per AAPOR class, by keyword; floats allowed for weighted counts (sums of
    weights).

    Raises ``ValueError`` when a count is negative or not finite.
    """

    I: float = 0  # noqa: E741 (the AAPOR class name)
    P: float = 0
    R: float = 0
    NC: float = 0
    O: float = 0  # noqa: E741 (the AAPOR class name)
    UH: float = 0
    UR: float = 0
    UO: float = 0
    NE: float = 0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or value != value or value in (float("inf"), float("-inf")):
                raise ValueError(f"count {f.name} must be a finite number, got {value!r}")
            if value < 0:
                raise ValueError(f"count {f.name} must not be negative, got {value!r}")

    @classmethod
    def from_mapping(cls, counts: Mapping[str, float]) -> DispositionCounts:
        """From ``{"I": 4, "NC": 1, ...}``; missing classes count 0, unknown names raise ``ValueError``."""
        unknown = sorted(set(counts) - set(CATEGORIES))
        if unknown:
            raise ValueError(f"unknown disposition classes {unknown}; expected some of {list(CATEGORIES)}")
        return cls(**{k: counts[k] for k in CATEGORIES if k in counts})


@dataclass(frozen=True)
class OutcomeRates:
    """The AAPOR rates (each in 0..1, or ``None`` when undefined) and the ``e`` used for RR3/RR4/REF2/CON2
    (one number, or one per unknown class when so given)."""

    rates: Mapping[str, float | None]
    e: float | Mapping[str, float] | None

    def __getitem__(self, name: str) -> float | None:
        return self.rates[name]


def eligibility_rate(counts: DispositionCounts) -> float | None:
    """``e = (I+P+R+NC+O) / (I+P+R+NC+O+NE)`` (AAPOR Outcome Rate Calculator v4.0; outcomerate's
    ``eligibility_rate``). ``None`` when there is no case of known eligibility."""
    eligible = counts.I + counts.P + counts.R + counts.NC + counts.O
    known = eligible + counts.NE
    return None if known == 0 else eligible / known


def outcome_rates(counts: DispositionCounts, e: float | Mapping[str, float] | None = None) -> OutcomeRates:
    """All sixteen AAPOR rates from disposition counts.

    ``e``: one number in [0, 1], or a mapping with one for each of UH, UR and UO (``ValueError`` otherwise);
    when omitted it is estimated by :func:`eligibility_rate`; when that is undefined too, the rates that need
    ``e`` (RR3, RR4, REF2, CON2) are ``None``.

    Formulas (AAPOR 2023; outcomerate ``fmat.csv``), with ``U = UH + UR + UO``:
    RR1 = I/(I+P+R+NC+O+U), RR2 = (I+P)/(I+P+R+NC+O+U), RR3 = I/(I+P+R+NC+O+eU),
    RR4 = (I+P)/(I+P+R+NC+O+eU), RR5 = I/(I+P+R+NC+O), RR6 = (I+P)/(I+P+R+NC+O);
    COOP1 = I/(I+P+R+O), COOP2 = (I+P)/(I+P+R+O), COOP3 = I/(I+P+R), COOP4 = (I+P)/(I+P+R);
    REF1 = R/(I+P+R+NC+O+U), REF2 = R/(I+P+R+NC+O+eU), REF3 = R/(I+P+R+NC+O);
    CON1 = (I+P+R+O)/(I+P+R+NC+O+U), CON2 = (I+P+R+O)/(I+P+R+NC+O+eU), CON3 = (I+P+R+O)/(I+P+R+NC+O).
    """
    used_e = eligibility_rate(counts) if e is None else _checked_e(e)
    c = counts
    interviews = c.I + c.P
    known_eligible = interviews + c.R + c.NC + c.O
    unknown = c.UH + c.UR + c.UO
    all_cases = known_eligible + unknown
    if used_e is None:
        est_cases = None
    elif isinstance(used_e, Mapping):
        est_cases = known_eligible + used_e["UH"] * c.UH + used_e["UR"] * c.UR + used_e["UO"] * c.UO
    else:
        est_cases = known_eligible + used_e * unknown
    contacted = interviews + c.R + c.O

    def ratio(num: float, den: float | None) -> float | None:
        return None if den is None or den == 0 else num / den

    rates: dict[str, float | None] = {
        "RR1": ratio(c.I, all_cases),
        "RR2": ratio(interviews, all_cases),
        "RR3": ratio(c.I, est_cases),
        "RR4": ratio(interviews, est_cases),
        "RR5": ratio(c.I, known_eligible),
        "RR6": ratio(interviews, known_eligible),
        "COOP1": ratio(c.I, contacted),
        "COOP2": ratio(interviews, contacted),
        "COOP3": ratio(c.I, interviews + c.R),
        "COOP4": ratio(interviews, interviews + c.R),
        "REF1": ratio(c.R, all_cases),
        "REF2": ratio(c.R, est_cases),
        "REF3": ratio(c.R, known_eligible),
        "CON1": ratio(contacted, all_cases),
        "CON2": ratio(contacted, est_cases),
        "CON3": ratio(contacted, known_eligible),
    }
    return OutcomeRates(rates=rates, e=used_e)


def _checked_e(e: float | Mapping[str, float]) -> float | Mapping[str, float]:
    values = [e] if not isinstance(e, Mapping) else [e.get(k) for k in UNKNOWN_CATEGORIES]
    if isinstance(e, Mapping) and set(e) != set(UNKNOWN_CATEGORIES):
        raise ValueError(f"e by class must give exactly {list(UNKNOWN_CATEGORIES)}, got {sorted(e)}")
    for value in values:
        if not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ValueError(f"e must lie in [0, 1], got {value!r}")
    return dict(e) if isinstance(e, Mapping) else e


@dataclass(frozen=True)
class DispositionCode:
    """One AAPOR final disposition code: ``code`` ("2.112"), ``category`` (one of :data:`CATEGORIES`, or
    ``None`` for a heading that mixes classes, like 1.0), and ``labels`` by language code."""

    code: str
    category: str | None
    labels: Mapping[str, str]

    def label(self, language: str) -> str:
        """The label in ``language``, English when that language has none."""
        return self.labels.get(language) or self.labels["en"]


@cache
def disposition_codes() -> Mapping[str, DispositionCode]:
    """The AAPOR disposition codes of ``data/aapor_dispositions.json``, by code, in file order."""
    raw: dict[str, Any] = json.loads(
        resources.files("heed.stats").joinpath("data/aapor_dispositions.json").read_text(encoding="utf-8")
    )
    return {
        row["code"]: DispositionCode(code=row["code"], category=row["category"], labels=dict(row["labels"]))
        for row in raw["codes"]
    }


def category_of(code: str) -> str:
    """The AAPOR class (I, P, R, NC, O, UH, UR, UO, NE) of a final disposition code; a class name is its own class.

    Codes with a letter suffix used by CATI systems (queXS's "2.111a" soft refusal) take the class of their
    number. Raises ``ValueError`` for an unknown code or a heading that mixes classes (1.0, 2.0, 3.0).
    """
    if code in CATEGORIES:
        return code
    codes = disposition_codes()
    key = code.strip().rstrip("abcdefghijklmnopqrstuvwxyz")
    entry = codes.get(key)
    if entry is None:
        raise ValueError(f"unknown AAPOR disposition code {code!r}")
    if entry.category is None:
        raise ValueError(f"AAPOR code {code!r} is a heading, not a final disposition")
    return entry.category


def counts_from_codes(codes: Iterable[str], weights: Iterable[float] | None = None) -> DispositionCounts:
    """Disposition counts from one final code ("2.112") or class ("R") per case; ``weights``: one per case,
    for weighted rates. Raises ``ValueError`` for an unknown code or a weight count that does not match."""
    totals = dict.fromkeys(CATEGORIES, 0.0)
    code_list = list(codes)
    weight_list = [1.0] * len(code_list) if weights is None else [float(w) for w in weights]
    if len(weight_list) != len(code_list):
        raise ValueError(f"{len(weight_list)} weights for {len(code_list)} codes")
    for code, weight in zip(code_list, weight_list, strict=True):
        totals[category_of(code)] += weight
    return DispositionCounts(**totals)
