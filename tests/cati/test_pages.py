"""The staff pages: call lists (create), the operator's call screen (outcomes, refusal note, appointment) and
their translations; operators see only their organisation's and units' lists."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from heed.cati.models import CallCase, CallList
from tests.conftest import login


def test_an_analyst_creates_a_call_list_on_the_page(world):
    client = login(world.analyst)
    form = {"name": "Winback", "survey": world.survey.id, "unit": world.store_b.id, "time_zone": "Europe/Zagreb",
            "weekday_hours": "09:00-12:00, 14:00-20:30", "saturday_hours": "10:00-14:00", "sunday_hours": "",
            "max_attempts": 5}  # fmt: skip
    made = client.post("/calls/", form)
    assert made.status_code == 302
    call_list = CallList.objects.get(name="Winback")
    assert call_list.calling_hours == {"mon-fri": ["09:00-12:00", "14:00-20:30"], "sat": ["10:00-14:00"]}
    assert (call_list.link.channel, call_list.link.unit_id, call_list.max_attempts) == ("phone", world.store_b.id, 5)
    bad = client.post("/calls/", {**form, "name": "Bad", "weekday_hours": "9-5"})
    assert bad.status_code == 422 and "must look like 09:00-20:30" in bad.content.decode()
    assert login(world.interviewer).post("/calls/", form).status_code == 404  # operators do not create lists


def test_the_call_screen_records_outcomes_and_asks_a_note_for_a_refusal(world, open_list):
    client = login(world.interviewer)
    client.post("/calls/next/", {"action": "next"})
    case = CallCase.objects.get(call_list=open_list)
    refused = client.post("/calls/next/", {"action": "call", "case": case.id, "outcome": "hard_refusal", "note": ""},
                          headers={"Accept-Language": "en"})  # fmt: skip
    assert refused.status_code == 422 and "A refusal needs a note" in refused.content.decode()
    at = (dt.datetime.now(ZoneInfo("Europe/Zagreb")) + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    booked = client.post("/calls/next/", {"action": "call", "case": case.id, "outcome": "appointment",
                                          "appointment_at": at.strftime("%Y-%m-%dT%H:%M"),
                                          "appointment_operator": world.interviewer.id})  # fmt: skip
    assert booked.status_code == 302
    case.refresh_from_db()
    assert case.status == "appointment" and case.appointment_at == at
    assert case.appointment_operator_id == world.interviewer.id and case.held_by_id is None


def test_pages_are_translated(world, open_list):
    client = login(world.interviewer)
    for language, words in {"it": "Prossima chiamata", "hr": "Sljedeći poziv", "bg": "Следващо обаждане",
                            "ru": "Следующий звонок", "et": "Järgmine kõne"}.items():  # fmt: skip
        world.interviewer.language = language
        world.interviewer.save(update_fields=["language"])
        assert words in client.get("/calls/next/").content.decode(), language
        assert words in client.get("/calls/").content.decode(), language


def test_lists_of_other_units_are_not_shown_to_operators(world, open_list):
    assert login(world.interviewer).get(f"/calls/lists/{open_list.id}/").status_code == 200
    open_list.unit = world.store_b
    open_list.save(update_fields=["unit"])
    assert login(world.interviewer).get(f"/calls/lists/{open_list.id}/").status_code == 404
    assert login(world.analyst).get(f"/calls/lists/{open_list.id}/").status_code == 200


def test_messages_from_the_services_are_in_the_croatian_staff_users_language(world, open_list):
    """ApplicationError messages of ``heed.cati.services`` shown on the pages go through gettext."""
    for user in (world.analyst, world.interviewer):
        user.language = "hr"
        user.save(update_fields=["language"])
    form = {"name": "Loše", "survey": world.survey.id, "time_zone": "Europe/Zagreb", "weekday_hours": "9-5",
            "max_attempts": 5}  # fmt: skip
    bad_hours = login(world.analyst).post("/calls/", form).content.decode()
    assert "Vrijeme pozivanja mora izgledati kao 09:00-20:30" in bad_hours and "must look like" not in bad_hours
    bad_zone = login(world.analyst).post("/calls/", {**form, "weekday_hours": "09:00-17:00",
                                                     "time_zone": "Mars/Olympus"}).content.decode()  # fmt: skip
    assert "Nepoznata vremenska zona „Mars/Olympus”" in bad_zone
    client = login(world.interviewer)
    client.post("/calls/next/", {"action": "next"})
    case = CallCase.objects.get(call_list=open_list)
    refused = client.post("/calls/next/", {"action": "call", "case": case.id, "outcome": "hard_refusal", "note": ""})
    assert refused.status_code == 422
    assert "Odbijanje treba bilješku: napišite što je osoba rekla." in refused.content.decode()
    past = client.post("/calls/next/", {"action": "call", "case": case.id, "outcome": "appointment",
                                        "appointment_at": "2020-01-01T10:00"})  # fmt: skip
    assert past.status_code == 422 and "Navedite datum i vrijeme dogovora nakon ovog poziva." in past.content.decode()
