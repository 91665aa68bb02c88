"""Issue 10, point 1: the offline interviewer app on a 390 px phone in real Chromium (research test b.4.4 in full,
the device side of b.4.5, interviews in two languages, skip logic on a compound rule, 409 closed, quota full,
reviews). Data is written before Chromium starts and read after the app has synced."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from django.test import Client

from heed.accounts.models import Role, Unit, User
from heed.accounts.services import organisation_create, unit_create, user_create
from heed.analytics.rollups import rollups_refresh
from heed.fieldwork.models import Device, QuotaMembership
from heed.fieldwork.services import assignment_create
from heed.responses.models import Response
from heed.surveys.conditions import visible_keys
from heed.surveys.i18n_strings import UI_STRINGS
from heed.surveys.models import Survey, SurveyVersion
from heed.surveys.services import question_add, survey_close, survey_create, survey_publish
from tests.integration.test_browser_e2e import PASSWORD, _context, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EN, IT = UI_STRINGS["en"], UI_STRINGS["it"]


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
WHY_RULE = {"all": [{"question": "visited", "op": "eq", "value": "yes"}, {"question": "nps", "op": "lte", "value": 6}]}


@dataclass
class PwaWorld:
    survey_id: int
    unit_id: int
    interviewer_id: int


def pwa_world(*, screening: bool = False) -> PwaWorld:
    """Acme's store, an interviewer assigned to "Store visit" (en, it); with ``screening``, "visited" = no screens
    the respondent out (``screen_out_if``) and the NPS is required."""
    org = organisation_create(name="Acme", slug="acme", brand="Acme", languages=["en", "it"], default_language="en")
    store = unit_create(organisation=org, kind=Unit.Kind.STORE, name="Milano", code="S1")
    analyst = user_create(organisation=org, username="ana", password=PASSWORD, role=Role.ANALYST)
    interviewer = user_create(organisation=org, username="ivo", password=PASSWORD, role=Role.INTERVIEWER,
                              units=[store])  # fmt: skip
    survey = survey_create(organisation=org, title="Store visit", created_by=analyst, languages=["en", "it"],
                           default_language="en")  # fmt: skip
    yes_no = [
        {"value": "yes", "labels": {"en": "Yes", "it": "Sì"}},
        {"value": "no", "labels": {"en": "No", "it": "No"}},
    ]
    questions = [
        {"key": "visited", "type": "single_choice", "required": True, "options": yes_no,
         "texts": {"en": "Did you visit the café?", "it": "Hai visitato il bar?"}},
        {"key": "nps", "type": "nps", "metric": "nps",
         "texts": {"en": "Would you recommend us?", "it": "Ci consiglieresti?"}},
        {"key": "why", "type": "text", "show_if": WHY_RULE,
         "texts": {"en": "What went wrong at the café?", "it": "Cosa non è andato al bar?"}},
    ]  # fmt: skip
    if screening:
        questions[0]["screen_out_if"] = {"question": "visited", "op": "eq", "value": "no"}
        questions[1]["required"] = True
    for question in questions:
        question_add(survey=survey, data=question)
    survey_publish(survey=survey, actor=analyst)
    assignment_create(actor=analyst, survey=survey, unit=store, interviewer=interviewer, quantity=40)
    return PwaWorld(survey.id, store.id, interviewer.id)


def log_in(page, username: str = "ivo") -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


GPS = {"permissions": ["geolocation"], "geolocation": {"latitude": 45.8140, "longitude": 15.9780, "accuracy": 20}}
ONLINE_WITHIN_MS = 35_000  # the app syncs every 30 s (and at once on the online event)


def _db(work):
    """Run ``work()`` (a database read or write) in a thread: Playwright's sync API runs an event loop here."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


def _open_app(page) -> None:
    from playwright.sync_api import expect

    page.goto("/fieldwork/app/")
    expect(page.locator(".assignment")).to_have_count(1)  # forms downloaded at the first sync
    expect(page.locator("#sync-line")).to_contain_text("Last sent to the server")


def _interview(page, language: str, *, visited: str = "yes", nps: str = "9", why: str | None = None,
               switch_to: str | None = None, total: int = 2) -> None:  # fmt: skip
    """One interview through the one-question screens; ``switch_to`` changes the respondent's language on the
    second screen."""
    from playwright.sync_api import expect

    page.locator(".start").first.tap()
    page.locator(f"[data-lang={language}]").tap()
    strings = UI_STRINGS[language]
    expect(page.locator("#progress-text")).to_have_text(strings["progress"].format(current=1, total=2))
    page.locator("label.option", has=page.locator(f"input[value={visited}]")).tap()
    page.locator("#next").tap()
    expect(page.locator("#progress-text")).to_have_text(strings["progress"].format(current=2, total=2))
    if switch_to:
        page.locator("#switch-lang").select_option(switch_to)
        strings = UI_STRINGS[switch_to]
        expect(page.locator("#next")).to_have_text(strings["submit"])
    page.locator(".scale11 label.option", has=page.locator(f"input[value='{nps}']")).tap()
    page.locator("#next").tap()
    if why is not None:
        expect(page.locator("#progress-text")).to_have_text(strings["progress"].format(current=3, total=total))
        page.locator("textarea").fill(why)
        page.locator("#next").tap()
    expect(page.locator("#end-title")).to_be_visible()
    page.locator("#home").tap()
    expect(page.locator(".assignment")).to_have_count(1)


def _idb_meta(page, key: str):
    return page.evaluate(
        """key => new Promise((resolve, reject) => { const open = indexedDB.open("heed-fieldwork", 1);
           open.onsuccess = () => { const get = open.result.transaction("meta").objectStore("meta").get(key);
           get.onsuccess = () => resolve(get.result); get.onerror = () => reject(get.error); }; })""",
        key,
    )


def test_b44_offline_reload_three_interviews_then_online_syncs_them(live_server):
    """b.4.4: shell from cache offline; 3 interviews -> "3 waiting to send"; online -> 0 within 30 s; the server
    has device_id and last_sync_at; two languages (one switched mid-interview) reach the server once each; the
    audit trail and location of contract 1 are sent."""
    from playwright.sync_api import expect

    world = pwa_world()
    sent: list[dict] = []
    with chromium() as browser:
        context = _context(browser, live_server.url, **PHONE, **GPS)
        page = context.new_page()
        page.on(
            "request", lambda r: sent.append(json.loads(r.post_data)) if r.url.endswith("/api/fieldwork/sync") else None
        )
        log_in(page)
        _open_app(page)
        page.wait_for_selector("html[data-worker=ready]")
        context.set_offline(True)
        reloaded = page.reload()
        assert reloaded is not None and reloaded.from_service_worker  # the shell came from the worker's cache
        expect(page.locator(".assignment")).to_have_count(1)
        _interview(page, "en")
        _interview(page, "it")
        _interview(page, "en", switch_to="it")
        expect(page.locator("#unsent")).to_have_text("3 waiting to send")
        assert _db(Response.objects.count) == 0
        device_id = _idb_meta(page, "device_id")
        context.set_offline(False)
        expect(page.locator("#unsent")).to_have_text("0 waiting to send", timeout=ONLINE_WITHIN_MS)
        context.close()
    responses = list(Response.objects.order_by("id"))
    assert len(responses) == 3 and len({r.client_key for r in responses}) == 3
    assert [r.language for r in responses] == ["en", "it", "it"]
    assert all(r.submitted_by_id == world.interviewer_id and r.unit_id == world.unit_id for r in responses)
    assert [r.nps_score for r in responses] == [9, 9, 9]
    device = Device.objects.get()
    assert str(device.device_id) == device_id and uuid.UUID(device_id).version == 4
    assert device.last_sync_at is not None and device.unsent_count == 0
    batch = next(body for body in sent if body["interviews"])
    assert len(batch["interviews"]) == 3 and batch["device_id"] == device_id
    third = batch["interviews"][2]
    assert third["location"] == {"latitude": 45.814, "longitude": 15.978, "accuracy": 20, "status": "ok"}
    events = [e["event"] for e in third["audit"]]
    assert events == ["form start", "question", "question", "language change", "end screen", "form finalize"]
    visited, nps = (e for e in third["audit"] if e["event"] == "question")
    assert (visited["node"], visited["old_value"], visited["new_value"]) == ("/data/visited", None, "yes")
    assert (nps["node"], nps["new_value"]) == ("/data/nps", "9")
    assert visited["start"] <= visited["end"] <= nps["start"] and nps["end"] is not None
    change = next(e for e in third["audit"] if e["event"] == "language change")
    assert (change["old_value"], change["new_value"]) == ("en", "it")
    assert (third["audit"][-1]["latitude"], third["audit"][-1]["accuracy"]) == (45.814, 20)  # GPS per event
    # ... and they are on the dashboard once each, after the background worker's rollup refresh
    rollups_refresh()
    analyst = Client()
    analyst.force_login(User.objects.get(username="ana"))
    metrics = analyst.get(f"/api/metrics?survey_id={world.survey_id}").json()["summary"]["nps"]
    assert metrics["n"] == 3  # (the value itself is suppressed below the minimum n)


def test_b44_a_tab_closed_offline_syncs_when_reopened_and_send_now_sends_at_once(live_server):
    """b.4.4 (the Safari fallback): close the tab offline, reopen online -> sent on open with no user action;
    "Send now" sends at once (well before the 30 s timer)."""
    from playwright.sync_api import expect

    pwa_world()
    with chromium() as browser:
        context = _context(browser, live_server.url, **PHONE)
        page = context.new_page()
        log_in(page)
        _open_app(page)
        page.wait_for_selector("html[data-worker=ready]")
        context.set_offline(True)
        _interview(page, "it")
        expect(page.locator("#unsent")).to_have_text("1 waiting to send")
        page.close()
        context.set_offline(False)
        page = context.new_page()
        page.goto("/fieldwork/app/")
        expect(page.locator("#unsent")).to_have_text("0 waiting to send", timeout=10_000)
        assert _db(Response.objects.count) == 1
        # Send now: the sync endpoint fails while the interview is taken, then works again.
        page.route("**/api/fieldwork/sync", lambda route: route.abort())
        _interview(page, "en")
        expect(page.locator("#unsent")).to_have_text("1 waiting to send")
        page.unroute("**/api/fieldwork/sync")
        page.locator("#send-now").tap()
        expect(page.locator("#unsent")).to_have_text("0 waiting to send", timeout=5_000)
        context.close()
    assert Response.objects.count() == 2


def test_a_closed_survey_keeps_the_interview_and_reviews_and_full_quotas_are_shown(live_server):
    """b.4.6 on the device: 409 closed -> kept, "Survey closed, contact your supervisor"; b.4.9: a full quota is
    shown before the interview starts and a matching interview ends with the quota-full text; contract 2: a
    review with issues and one whose answers were edited are shown with their comments."""
    from playwright.sync_api import expect

    from heed.fieldwork.services import quota_create

    world = pwa_world()
    survey = Survey.objects.get(id=world.survey_id)
    quota_create(survey=survey, name="Café visitors", target=1, conditions={"visited": ["yes"]})
    review = {"client_key": str(uuid.uuid4()), "response_id": 7, "state": "has_issues",
              "comment": "Q3 <b>inconsistent</b>", "reviewed_at": dt.datetime.now(dt.UTC).isoformat()}  # fmt: skip
    edited = review | {"client_key": str(uuid.uuid4()), "response_id": 8, "state": "edited", "comment": "Typo fixed"}
    approved = review | {"client_key": str(uuid.uuid4()), "response_id": 9, "state": "approved", "comment": ""}

    def with_review(route):
        answer = route.fetch()
        body = answer.json() | {"reviews": [review, edited, approved]}
        route.fulfill(response=answer, body=json.dumps(body))

    with chromium() as browser:
        context = _context(browser, live_server.url, service_workers="block", **PHONE)
        page = context.new_page()
        page.route("**/api/fieldwork/sync", with_review)
        log_in(page)
        _open_app(page)
        expect(page.locator(".review").first).to_contain_text("Q3 <b>inconsistent</b>")  # shown as text, not HTML
        expect(page.locator(".review").first).to_contain_text("Has issues")
        expect(page.locator(".review")).to_have_count(2)  # approved is not news for the interviewer
        expect(page.locator(".review").nth(1)).to_contain_text("Answers edited by the supervisor · #8")
        expect(page.locator(".review").nth(1)).to_contain_text("Typo fixed")
        _interview(page, "en")  # fills the quota (target 1)
        expect(page.locator("#unsent")).to_have_text("0 waiting to send")
        page.locator("#send-now").tap()  # the quota's status comes with the next sync
        expect(page.locator(".assignment .full")).to_have_text("Quota full: Café visitors")
        page.locator(".start").tap()
        expect(page.locator(".full")).to_have_text("Quota full: Café visitors")  # before the interview starts
        page.locator("[data-lang=it]").tap()
        page.locator("label.option", has=page.locator("input[value=yes]")).tap()
        page.locator("#next").tap()
        page.locator("#next").tap()  # the NPS question is optional
        expect(page.locator("#end-title")).to_have_text(IT["quota_full_title"])
        page.locator("#home").tap()
        expect(page.locator("#unsent")).to_have_text("0 waiting to send")
        _db(lambda: survey_close(survey=survey))
        page.route("**/api/fieldwork/sync", lambda route: route.abort())
        _interview(page, "en", visited="no")
        page.unroute("**/api/fieldwork/sync")
        page.locator("#send-now").tap()
        expect(page.locator(".problem")).to_contain_text("Survey closed, contact your supervisor")
        expect(page.locator("#unsent")).to_have_text("1 waiting to send")  # kept on the device
        context.close()
    stored = list(Response.objects.order_by("id"))
    assert [r.language for r in stored] == ["en", "it"]  # the closed survey's interview is not stored
    statuses = dict(QuotaMembership.objects.values_list("response_id", "status"))
    assert [statuses[r.id] for r in stored] == ["screened_in", "screened_out_over_quota"]  # stored, never refused


def test_skip_logic_on_a_compound_rule_agrees_with_the_server(live_server):
    """The question "why" shows only when visited = yes AND nps <= 6 (conditions.js, the server's rules)."""
    from playwright.sync_api import expect

    pwa_world()
    with chromium() as browser:
        context = _context(browser, live_server.url, service_workers="block", **PHONE)
        page = context.new_page()
        log_in(page)
        _open_app(page)
        heights = page.evaluate("[...document.querySelectorAll('button')].map(b => b.offsetHeight)")
        assert heights and min(heights) >= 44, heights  # big touch targets
        page.locator(".start").tap()
        page.locator("[data-lang=en]").tap()
        heights = page.evaluate(
            "[...document.querySelectorAll('label.option, button, select')].map(b => b.offsetHeight)"
        )
        assert len(heights) >= 4 and min(heights) >= 44, heights
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.on("dialog", lambda dialog: dialog.accept())
        page.locator("#discard").tap()  # nothing stored
        _interview(page, "en", visited="yes", nps="3", why="Slow service & <cold> coffee", total=3)
        _interview(page, "en", visited="no", nps="3")  # "why" is skipped: 2 questions
        _interview(page, "en", visited="yes", nps="7")  # "why" is skipped
        expect(page.locator("#unsent")).to_have_text("0 waiting to send")
        context.close()
    answers = [{a.question_key: a.value for a in r.answers.all()} for r in Response.objects.order_by("id")]
    assert [a.get("why") for a in answers] == ["Slow service & <cold> coffee", None, None]
    definition = SurveyVersion.objects.get().definition
    for given in answers:
        assert ("why" in given) == ("why" in visible_keys(definition["questions"], given))


def test_b45_persist_is_asked_once_a_refusal_warns_for_good_and_the_backup_holds_the_unsent(live_server, tmp_path):
    """b.4.5 (device side): first run calls navigator.storage.persist(); refused -> a warning on every start;
    "Download backup" writes the contract-3 file of the unsent interviews, which syncs without duplicates."""
    from playwright.sync_api import expect

    world = pwa_world()
    refuse = """window.__persistCalls = 0;
      navigator.storage.persist = () => { window.__persistCalls += 1; return Promise.resolve(false); };
      navigator.storage.persisted = () => Promise.resolve(false);"""
    with chromium() as browser:
        context = _context(browser, live_server.url, **PHONE)
        context.add_init_script(refuse)
        page = context.new_page()
        log_in(page)
        _open_app(page)
        expect(page.locator("#persist-warning")).to_be_visible()
        assert page.evaluate("window.__persistCalls") == 1
        page.reload()
        expect(page.locator("#persist-warning")).to_be_visible()  # permanent: shown again at the next start
        assert page.evaluate("window.__persistCalls") == 0  # asked once, on the first run
        page.wait_for_selector("html[data-worker=ready]")
        context.set_offline(True)
        _interview(page, "en")
        _interview(page, "it", visited="no")
        with page.expect_download() as download_info:
            page.locator("#backup").tap()
        path = tmp_path / "backup.json"
        download_info.value.save_as(path)
        device_id = _idb_meta(page, "device_id")
        context.set_offline(False)
        expect(page.locator("#unsent")).to_have_text("0 waiting to send", timeout=ONLINE_WITHIN_MS)
        granted = browser.new_context(base_url=live_server.url, **PHONE)
        granted.add_init_script("navigator.storage.persist = () => Promise.resolve(true);")
        other = granted.new_page()
        log_in(other)
        _open_app(other)
        expect(other.locator("#persist-warning")).to_have_count(0)
        granted.close()
        context.close()
    backup = json.loads(path.read_text(encoding="utf-8"))
    assert (backup["format"], backup["format_version"], backup["device_id"], backup["interviewer"]) == (
        "heed-interviews-backup", 1, device_id, "ivo")  # fmt: skip
    assert dt.datetime.fromisoformat(backup["created_at"].replace("Z", "+00:00")).tzinfo is not None
    assert [(i["language"], i["answers"]["visited"]) for i in backup["interviews"]] == [("en", "yes"), ("it", "no")]
    first = backup["interviews"][0]
    assert (first["survey_id"], first["unit_id"], first["version"]) == (world.survey_id, world.unit_id, 1)
    assert {"client_key", "started_at", "submitted_at", "complete", "location", "audit"} <= first.keys()
    assert Response.objects.count() == 2
    # The file holds the interviews exactly as the app posts them: sending them again adds nothing.
    from heed.accounts.models import User
    from tests.conftest import api_client

    again = api_client(User.objects.get(username="ivo")).post(
        "/api/fieldwork/sync", {"device_id": backup["device_id"], "interviews": backup["interviews"]},
        content_type="application/json",
    ).json()  # fmt: skip
    assert (again["created"], again["replayed"]) == (0, 2)
    assert Response.objects.count() == 2


def test_on_a_shared_device_an_interview_is_sent_only_in_its_interviewers_session(live_server):
    """Two interviewers on one phone: what ivo took offline is never sent as eva's; it waits for ivo."""
    from playwright.sync_api import expect

    world = pwa_world()
    from heed.accounts.models import User

    ivo = User.objects.get(id=world.interviewer_id)
    store = Unit.objects.get(id=world.unit_id)
    eva = user_create(organisation=ivo.organisation, username="eva", password=PASSWORD, role=Role.INTERVIEWER,
                      units=[store])  # fmt: skip
    assignment_create(actor=None, survey=Survey.objects.get(id=world.survey_id), unit=store, interviewer=eva)
    with chromium() as browser:
        context = _context(browser, live_server.url, service_workers="block", **PHONE)
        page = context.new_page()
        log_in(page)
        _open_app(page)
        page.route("**/api/fieldwork/sync", lambda route: route.abort())
        _interview(page, "en")
        page.unroute("**/api/fieldwork/sync")
        context.clear_cookies()
        log_in(page, "eva")
        _open_app(page)
        page.locator("#send-now").tap()
        expect(page.locator("#sync-line")).to_contain_text("Last sent to the server")
        expect(page.locator("#unsent")).to_have_text("1 waiting to send")
        assert _db(Response.objects.count) == 0
        context.clear_cookies()
        log_in(page, "ivo")
        _open_app(page)
        expect(page.locator("#unsent")).to_have_text("0 waiting to send")
        context.close()
    assert Response.objects.get().submitted_by_id == ivo.id


def test_a_respondent_screened_out_sees_the_screened_out_ending_in_their_language_and_syncs_as_such(live_server):
    """A question's screen_out_if ends the interview: the ending is the web page's screened-out one (title and
    body of the respondent strings) in the language the respondent switched to, the interviewer's line says
    "screened out" in the interviewer's language, and the server stores the interview with outcome
    screened_out; a respondent who is not screened out still gets the thank-you ending."""
    from playwright.sync_api import expect

    world = pwa_world(screening=True)
    with chromium() as browser:
        context = _context(browser, live_server.url, service_workers="block", **PHONE)
        page = context.new_page()
        log_in(page)
        _open_app(page)
        page.locator(".start").tap()
        page.locator("[data-lang=en]").tap()
        expect(page.locator("#progress-text")).to_have_text(EN["progress"].format(current=1, total=2))
        page.locator("#switch-lang").select_option("it")  # the respondent prefers Italian
        expect(page.locator("#next")).to_have_text(IT["next"])
        page.locator("label.option", has=page.locator("input[value=no]")).tap()
        page.locator("#next").tap()
        expect(page.locator("#end-title")).to_have_text(IT["screened_out_title"])
        expect(page.locator("#end-title")).to_have_attribute("data-ending", "screened_out")
        expect(page.locator("#end-body")).to_have_text(IT["screened_out_body"])
        assert IT["screened_out_body"] != IT["thank_you_body"]
        expect(page.locator("#saved")).to_have_text("Interview saved on this device as screened out (not eligible).")
        assert page.evaluate("document.documentElement.lang") == "it"
        page.locator("#home").tap()
        expect(page.locator("#unsent")).to_have_text("0 waiting to send")
        # The next respondent answers "yes": the usual thank-you ending.
        page.locator(".start").tap()
        page.locator("[data-lang=it]").tap()
        page.locator("label.option", has=page.locator("input[value=yes]")).tap()
        page.locator("#next").tap()
        page.locator(".scale11 label.option", has=page.locator("input[value='8']")).tap()
        page.locator("#next").tap()
        expect(page.locator("#end-title")).to_have_attribute("data-ending", "thank_you")
        expect(page.locator("#end-body")).to_have_text(IT["thank_you_body"])
        expect(page.locator("#saved")).to_have_text("Interview saved on this device.")
        page.locator("#home").tap()
        expect(page.locator("#unsent")).to_have_text("0 waiting to send")
        context.close()
    screened, answered = Response.objects.order_by("id")
    assert (screened.outcome, screened.language, screened.nps_score) == (Response.Outcome.SCREENED_OUT, "it", None)
    assert {a.question_key: a.value for a in screened.answers.all()} == {"visited": "no"}
    assert screened.submitted_by_id == world.interviewer_id
    assert (answered.outcome, answered.nps_score) == (Response.Outcome.COMPLETE, 8)


QUEUE = """async ([n, survey, unit]) => {
  const database = await new Promise((resolve, reject) => {
    const open = indexedDB.open("heed-fieldwork", 1);
    open.onsuccess = () => resolve(open.result); open.onerror = () => reject(open.error);
  });
  const now = Date.now();
  await new Promise((resolve, reject) => {
    const tx = database.transaction("interviews", "readwrite");
    for (let i = 0; i < n; i++) {
      const t = now - (n - i) * 60000;
      tx.objectStore("interviews").put({ client_key: crypto.randomUUID(), status: "waiting", survey_id: survey,
        version: 1, unit_id: unit, language: "en", started_at: new Date(t).toISOString(),
        submitted_at: new Date(t + 90000).toISOString(), finished_ms: t + 90000, complete: true,
        answers: { visited: "yes", nps: i % 11 }, location: null, audit: [] });
    }
    tx.oncomplete = resolve; tx.onerror = () => reject(tx.error);
  });
  database.close();
}"""


def test_a_long_queue_goes_in_batches_of_500_and_only_the_last_asks_for_the_status(live_server):
    """501 interviews waiting (a day offline): two batches, 500 then 1; the first says more follow
    (``last_batch: false``) and gets no assignments back, the last brings the progress of both."""
    from playwright.sync_api import expect

    world = pwa_world()
    sent: list[dict] = []
    replies: list[dict] = []
    with chromium() as browser:
        context = _context(browser, live_server.url, **PHONE)
        page = context.new_page()
        page.on(
            "request", lambda r: sent.append(json.loads(r.post_data)) if r.url.endswith("/api/fieldwork/sync") else None
        )
        page.on("response", lambda r: replies.append(r.json()) if r.url.endswith("/api/fieldwork/sync") else None)
        log_in(page)
        _open_app(page)
        page.evaluate(QUEUE, [501, world.survey_id, world.unit_id])
        sent.clear()
        replies.clear()
        page.reload()  # the app syncs on open
        expect(page.locator("#unsent")).to_have_text("0 waiting to send", timeout=60_000)
        assignments = _idb_meta(page, "assignments")
        context.close()
    batches = [body for body in sent if body["interviews"]]
    assert [(len(b["interviews"]), b["last_batch"]) for b in batches] == [(500, False), (1, True)]
    with_items = [reply for reply in replies if reply["items"]]
    assert [reply["assignments"] is None for reply in with_items] == [True, False]
    assert [(a["done"], a["remaining"]) for a in assignments] == [(501, 0)]
    assert _db(Response.objects.count) == 501
