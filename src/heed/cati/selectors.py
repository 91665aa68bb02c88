"""Reads of phone interviewing, scoped to the caller's organisation and, for unit-scoped roles, their units
(a list without a unit is the organisation's and seen by everyone in it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from heed.accounts.selectors import organisation_id_of, unit_ids_visible_to
from heed.cati.models import CallAttempt, CallCase, CallList
from heed.stats.aapor import CATEGORIES, category_of, counts_from_codes, disposition_codes, outcome_rates

if TYPE_CHECKING:
    from heed.accounts.models import User

RATES_SHOWN = ("RR1", "RR2", "RR3", "RR4", "RR5", "RR6", "COOP1", "REF1", "CON1")


def call_list_list(*, user: User) -> QuerySet[CallList]:
    lists = CallList.objects.filter(organisation_id=organisation_id_of(user))
    visible = unit_ids_visible_to(user)
    if visible is not None:
        lists = lists.filter(Q(unit__isnull=True) | Q(unit_id__in=visible))
    return lists.select_related("survey", "unit", "link").annotate(
        case_count=Count("cases"), final_count=Count("cases", filter=Q(cases__status=CallCase.Status.FINAL))
    )


def call_list_get(*, user: User, list_id: int) -> CallList | None:
    return call_list_list(user=user).filter(id=list_id).first()


def case_get(*, user: User, case_id: int) -> CallCase | None:
    visible = unit_ids_visible_to(user)
    cases = CallCase.objects.filter(organisation_id=organisation_id_of(user)).select_related("call_list__link")
    if visible is not None:
        cases = cases.filter(Q(call_list__unit__isnull=True) | Q(call_list__unit_id__in=visible))
    return cases.filter(id=case_id).first()


def case_calls(*, case: CallCase) -> QuerySet[CallAttempt]:
    """The calls made on ``case``, oldest first, with their operators."""
    return case.calls.select_related("operator").order_by("called_at", "id")


@dataclass(frozen=True)
class DispositionRow:
    """One final disposition code of a list: its AAPOR class, label and number of cases."""

    code: str
    category: str
    label: str
    count: int


@dataclass(frozen=True)
class ListRates:
    """A list's final dispositions (by code and by AAPOR class), the rates of :data:`RATES_SHOWN` (0..1 or None
    when undefined), the ``e`` used for RR3/RR4, and the cases still open (not counted)."""

    dispositions: tuple[DispositionRow, ...]
    by_class: dict[str, int]
    rates: dict[str, float | None]
    e: float | None
    open_cases: int


def call_list_rates(*, call_list: CallList, language: str = "en") -> ListRates:
    """AAPOR outcome rates of ``call_list`` from its cases' final dispositions (``heed.stats.aapor``: AAPOR
    Standard Definitions 2023; ``e`` estimated as (I+P+R+NC+O)/(I+P+R+NC+O+NE))."""
    rows = (
        CallCase.objects.filter(call_list=call_list, status=CallCase.Status.FINAL)
        .values("final_code")
        .annotate(n=Count("id"))
        .order_by("final_code")
    )
    counted = {row["final_code"]: row["n"] for row in rows}
    codes = disposition_codes()
    order = {code: index for index, code in enumerate(codes)}
    dispositions = tuple(
        DispositionRow(code, category_of(code), codes[code].label(language) if code in codes else code, n)
        for code, n in sorted(counted.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    )
    counts = counts_from_codes([d.code for d in dispositions], [float(d.count) for d in dispositions])
    rates = outcome_rates(counts)
    open_cases = CallCase.objects.filter(call_list=call_list).exclude(status=CallCase.Status.FINAL).count()
    e = rates.e if isinstance(rates.e, float | int) or rates.e is None else None
    return ListRates(
        dispositions=dispositions,
        by_class={k: int(getattr(counts, k)) for k in CATEGORIES},
        rates={name: rates[name] for name in RATES_SHOWN},
        e=None if e is None else float(e),
        open_cases=open_cases,
    )
