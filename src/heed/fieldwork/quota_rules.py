"""Whether a response falls in a quota's cell: pure rules, no database.

A quota's ``conditions`` map question keys to the accepted values (LimeSurvey's and Formbricks' "any of these
answers"); a response matches when every condition holds (AND across questions, OR within one) and, if the
quota names a unit, it was taken at that unit. Quotas are not mutually exclusive (LimeSurvey)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

ConditionValues = Sequence[str]


def answer_tokens(value: float | str | list[str] | None) -> set[str]:
    """An answer as the set of values a condition compares with: a choice list as its values, a whole number
    without decimals (4.0 -> "4"), text as written. None (unanswered) is the empty set."""
    if value is None:
        return set()
    if isinstance(value, list):
        return {str(item) for item in value}
    if isinstance(value, float):
        return {str(int(value)) if value.is_integer() else repr(value)}
    return {str(value)}


def quota_matches(
    *,
    conditions: Mapping[str, ConditionValues],
    quota_unit_id: int | None,
    answers: Mapping[str, float | str | list[str]],
    unit_id: int | None,
) -> bool:
    """True when ``answers`` (question key -> value as stored) meet every condition and the unit fits."""
    if quota_unit_id is not None and unit_id != quota_unit_id:
        return False
    for key, accepted in conditions.items():
        if not answer_tokens(answers.get(key)) & {str(value) for value in accepted}:
            return False
    return True


def quota_status(*, filled: int, target: int) -> str:
    """``open`` while fewer than ``target`` responses count, else ``full``."""
    return "full" if filled >= target else "open"
