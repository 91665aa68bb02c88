"""Research test b.4.18: AAPOR outcome rates of a call list from its cases' final dispositions (values from
ropensci/outcomerate's README, recomputed in the research), through the selector, the API and the page."""

from __future__ import annotations

import pytest

from heed.cati.models import CallCase
from heed.cati.selectors import call_list_rates
from tests.conftest import api_client, login

# I=4, P=2, R=1, NC=1, O=1, UH=1, UO=1, NE=1 as final codes of twelve cases.
FINAL_CODES = ["1.1"] * 4 + ["1.2"] * 2 + ["2.112", "2.20", "2.31", "3.13", "3.90", "4.32"]
EXPECTED = {"RR1": 0.364, "RR2": 0.545, "RR3": 0.370, "COOP1": 0.500, "REF1": 0.091, "CON1": 0.727}


@pytest.fixture
def finished_list(call_list):
    for index, code in enumerate(FINAL_CODES):
        CallCase.objects.create(organisation_id=call_list.organisation_id, call_list=call_list,
                                phone=f"+38591000{index:04d}", time_zone="Europe/Zagreb", status="final",
                                final_code=code, attempts=1)  # fmt: skip
    return call_list  # plus the fixture's one open case, which is not counted


def test_rates_of_the_research_example(finished_list):
    rates = call_list_rates(call_list=finished_list)
    assert rates.e == pytest.approx(0.9)
    for name, value in EXPECTED.items():
        assert rates.rates[name] == pytest.approx(value, abs=5e-4), name
    assert rates.rates["RR5"] == pytest.approx(4 / 9) and rates.rates["RR6"] == pytest.approx(6 / 9)
    assert rates.by_class == {"I": 4, "P": 2, "R": 1, "NC": 1, "O": 1, "UH": 1, "UR": 0, "UO": 1, "NE": 1}
    assert [(d.code, d.count) for d in rates.dispositions][:3] == [("1.1", 4), ("1.2", 2), ("2.112", 1)]
    assert rates.open_cases == 1


def test_rates_through_the_api_and_on_the_list_page(world, finished_list):
    body = api_client(world.analyst).get(f"/api/cati/lists/{finished_list.id}").json()
    for name, value in EXPECTED.items():
        assert body["outcome_rates"]["rates"][name] == pytest.approx(value, abs=5e-4)
    assert body["cases"] == 13 and body["final"] == 12
    assert {d["code"]: d["count"] for d in body["outcome_rates"]["dispositions"]}["4.32"] == 1
    page = login(world.analyst).get(f"/calls/lists/{finished_list.id}/", headers={"Accept-Language": "en"})
    html = page.content.decode()
    assert page.status_code == 200
    assert '<th scope="row">RR1</th><td class="num">0.364</td>' in html
    assert '<th scope="row">COOP1</th><td class="num">0.500</td>' in html
    assert "Disconnected number" in html


def test_a_list_without_final_cases_shows_undefined_rates(world, call_list):
    rates = call_list_rates(call_list=call_list)
    assert all(value is None for value in rates.rates.values()) and rates.e is None
