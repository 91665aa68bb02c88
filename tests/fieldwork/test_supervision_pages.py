"""Issue 10, point 4: the supervisor's figures per interviewer and per device (interviews per hour on the hours
observed, median duration, flags with links, last sync), scoped to the supervisor's units; the interview page
with its seconds per question; the sites page (research b.4.5 server side: stale unsent devices)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from heed.accounts.models import Role
from heed.accounts.services import user_create
from heed.fieldwork.models import Flag, Site
from heed.fieldwork.selectors import supervision_stats
from tests.conftest import PASSWORD, VALID_INTERCEPT, api_client, login
from tests.fieldwork.helpers import interview, sync
from tests.web.html_references import broken_references

DAY = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


def _three_interviews(world) -> list[int]:
    """10:00-10:05, 10:30-10:35 (speeding-free, far apart in answers) and 11:00-11:10 on one day."""
    spans = [(0, 5, 1), (30, 35, 2), (60, 70, 3)]
    body = sync(api_client(world.interviewer), [
        interview(world, started_at=(DAY + dt.timedelta(minutes=a)).isoformat(),
                  submitted_at=(DAY + dt.timedelta(minutes=b)).isoformat(), answers=VALID_INTERCEPT | {"nps": nps})
        for a, b, nps in spans
    ]).json()  # fmt: skip
    return [item["response_id"] for item in body["items"]]


def test_interviews_per_hour_on_the_hours_observed_and_the_median_duration(world):
    """3 interviews from 10:00 to 11:10 -> 70 minutes observed -> 3 / (70/60) = 2.57 per hour; durations 300,
    300, 600 s -> median 300 s (5.0 min)."""
    _three_interviews(world)
    by_interviewer, by_device = supervision_stats(organisation_id=world.org.id, unit_ids=None)
    stats = by_interviewer[world.interviewer.id]
    assert (stats.interviews, stats.median_seconds) == (3, 300.0)
    assert round(stats.hours_observed, 4) == round(70 / 60, 4) and round(stats.per_hour, 2) == 2.57
    assert stats.last_sync_at is not None
    (device,) = by_device.values()
    assert device.interviews == 3
    html = login(world.analyst).get("/fieldwork/").content.decode()
    table = html.split('id="interviewers"')[1].split("</table>")[0]
    assert "ivo" in table and "2.6" in table and "5.0 min" in table


def test_flags_link_to_the_flagged_interviews(world):
    """A possible duplicate pair shows as 2 on the supervisor's page, links to the interviewer's list filtered by
    that flag, and each row opens the interview page (flags, seconds per question, the audit.csv link)."""
    start = timezone.now() - dt.timedelta(days=1)
    audit = [{"event": "form start", "node": "", "start": 1, "end": None},
             {"event": "question", "node": "/data/nps", "start": 1000, "end": 13500},
             {"event": "question", "node": "/data/comment", "start": 13500, "end": 40000},
             {"event": "question", "node": "/data/nps", "start": 40000, "end": 42000}]  # fmt: skip
    body = sync(api_client(world.interviewer), [
        interview(world, started_at=(start + dt.timedelta(minutes=m)).isoformat(),
                  submitted_at=(start + dt.timedelta(minutes=m + 5)).isoformat(), audit=audit)
        for m in (0, 3)
    ]).json()  # fmt: skip
    first, second = (item["response_id"] for item in body["items"])
    page = login(world.analyst)
    html = page.get("/fieldwork/").content.decode()
    link = f"/fieldwork/interviewers/{world.interviewer.id}/?flag=possible_duplicate#flagged-title"
    assert f'href="{link}">Possible duplicate: 2</a>' in html
    listed = page.get(link.split("#")[0]).content.decode().split('id="flagged"')[1]
    assert f'href="/fieldwork/interviews/{first}/"' in listed and f'href="/fieldwork/interviews/{second}/"' in listed
    assert (
        page.get(f"/fieldwork/interviewers/{world.interviewer.id}/?flag=speeding")
        .content.decode()
        .count('href="/fieldwork/interviews/')
        == 0
    )
    one = page.get(f"/fieldwork/interviews/{first}/").content.decode()
    timings = one.split('id="timings"')[1]
    assert timings.index("comment") < timings.index("nps")  # longest first: comment 26.5 s, nps 12.5 + 2 = 14.5 s
    assert "26.5" in timings and "14.5" in timings
    assert f'href="/api/fieldwork/responses/{first}/audit.csv"' in one and "4 events" in one
    for html_page in (html, listed and page.get(link.split("#")[0]).content.decode(), one):
        assert broken_references(html_page) == []


def test_a_unit_manager_sees_only_their_units(world):
    """Mario manages Milano (where ivo works): he sees ivo; a manager of Zagreb sees neither ivo's figures, his
    device nor his interview pages."""
    (first, *_rest) = _three_interviews(world)
    sync(api_client(world.interviewer), [], unsent_count=2,
         oldest_unsent_at=(timezone.now() - dt.timedelta(hours=30)).isoformat())  # fmt: skip
    zagreb = user_create(organisation=world.org, username="zora", password=PASSWORD, role=Role.UNIT_MANAGER,
                         units=[world.store_b])  # fmt: skip
    mine = login(world.manager_a).get("/fieldwork/").content.decode()
    assert "ivo" in mine.split('id="interviewers"')[1] and "older than 24 hours" in mine.split('id="devices"')[1]
    other = login(zagreb)
    theirs = other.get("/fieldwork/").content.decode()
    assert "ivo" not in theirs.split('id="interviewers"')[1].split("</table>")[0]
    assert "ivo" not in theirs.split('id="devices"')[1].split("</table>")[0]
    assert other.get(f"/fieldwork/interviews/{first}/").status_code == 404
    assert other.get(f"/fieldwork/interviewers/{world.interviewer.id}/").status_code == 404
    assert login(world.manager_a).get(f"/fieldwork/interviews/{first}/").status_code == 200
    assert login(world.interviewer).get(f"/fieldwork/interviews/{first}/").status_code == 403


def test_the_sites_page_sets_a_units_location_and_hours_with_clear_errors(world):
    page = login(world.manager_a)
    hours = "mon-fri 09:00-20:30\nsat 10:00-12:00 13:00-14:00"
    saved = page.post("/fieldwork/sites/", {"unit": world.store_a.id, "latitude": "45.8131", "longitude": "15.9775",
                                            "radius_m": "300", "time_zone": "Europe/Zagreb",
                                            "opening_hours": hours})  # fmt: skip
    assert saved.status_code == 302
    site = Site.objects.get(unit=world.store_a)
    assert (site.latitude, site.radius_m, site.time_zone) == (45.8131, 300, "Europe/Zagreb")
    assert site.opening_hours == {"mon-fri": ["09:00-20:30"], "sat": ["10:00-12:00", "13:00-14:00"]}
    listed = page.get("/fieldwork/sites/").content.decode()
    assert "sat 10:00-12:00 13:00-14:00" in listed
    bad_hours = page.post("/fieldwork/sites/", {"unit": world.store_a.id, "time_zone": "Europe/Zagreb",
                                                "opening_hours": "mon-fri 20:30-09:00"})  # fmt: skip
    assert bad_hours.status_code == 422 and "ends before it starts" in bad_hours.content.decode()
    bad_zone = page.post("/fieldwork/sites/", {"unit": world.store_a.id, "time_zone": "Mars/Olympus"})
    assert bad_zone.status_code == 422 and "Unknown time zone" in bad_zone.content.decode()
    half = page.post("/fieldwork/sites/", {"unit": world.store_a.id, "latitude": "45", "time_zone": "UTC"})
    assert half.status_code == 422 and "together" in half.content.decode()
    assert page.post("/fieldwork/sites/", {"unit": world.store_b.id, "time_zone": "UTC"}).status_code == 404
    assert Site.objects.get(unit=world.store_a).time_zone == "Europe/Zagreb"  # the refused posts changed nothing


def test_recompute_after_a_site_is_set_flags_earlier_interviews(world, django_capture_on_commit_callbacks):
    """Interviews synced before their store had a site have no GPS flag; after the site is set, the supervisor
    recomputes the survey's flags from the page (in the background) and the far one is out_of_area (the near one
    stays clean)."""
    start = timezone.now() - dt.timedelta(days=1)
    body = sync(api_client(world.interviewer), [
        interview(world, started_at=(start + dt.timedelta(hours=h)).isoformat(), answers=VALID_INTERCEPT | {"nps": h},
                  submitted_at=(start + dt.timedelta(hours=h, minutes=5)).isoformat(),
                  location={"latitude": lat, "longitude": lon, "accuracy": 15, "status": "ok"})
        for h, (lat, lon) in enumerate([(45.8140, 15.9780), (45.9, 16.1)])
    ]).json()  # fmt: skip
    near, far = (item["response_id"] for item in body["items"])
    assert not Flag.objects.exists()
    page = login(world.analyst)
    page.post("/fieldwork/sites/", {"unit": world.store_a.id, "latitude": "45.8131", "longitude": "15.9775",
                                    "radius_m": "300", "time_zone": "Europe/Rome"})  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):  # the task runs (eagerly) once the request commits
        done = page.post("/fieldwork/", {"action": "recompute", "survey": world.survey.id}, follow=True)
    assert "are being recomputed in the background" in done.content.decode()
    assert list(Flag.objects.values_list("response_id", "code")) == [(far, "out_of_area")]
    assert not Flag.objects.filter(response_id=near).exists()
    assert page.post("/fieldwork/", {"action": "recompute", "survey": 999_999}).status_code == 404
