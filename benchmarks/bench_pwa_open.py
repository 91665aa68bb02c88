"""Benchmark the interviewer app's time to open (to interactive) with 500 interviews stored in IndexedDB.

Run: ``python benchmarks/bench_pwa_open.py [--interviews 500] [--runs 15]``.

Sets up a fresh SQLite database (an interviewer assigned to a bilingual survey), starts ``heed serve`` on a free
loopback port and drives the real Chromium (/usr/bin/chromium, a 390x844 phone viewport) with Playwright:

1. Log in, open ``/fieldwork/app/`` once online (the service worker installs, the forms are downloaded), then
   store N unsent interviews (answers, a 6-event audit trail, a location) in the app's IndexedDB.
2. Go offline (as in the field) and open the app ``--runs`` times after one warm-up: each open is a new tab
   whose time to interactive is the ``heed-app-ready`` performance mark (navigation start -> shell from the
   worker's cache, scripts run, IndexedDB read, first screen rendered, counter "N waiting to send" shown).
3. Anchor, in the same run and browser: a plain static HTML page padded to the same bytes as the app's page
   and its scripts and styles, served by a bare Python HTTP server on loopback, whose only script reads the same
   N records from its own IndexedDB (one ``getAll``) and writes their count; time to its ``anchor-ready`` mark.

Prints the medians (ms) and the ratio app / anchor. No network beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]  # fmt: skip
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
PASSWORD = "correct-horse-battery"

SETUP = """
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from heed.accounts.models import Role, Unit
from heed.accounts.services import organisation_create, unit_create, user_create
from heed.fieldwork.services import assignment_create
from heed.surveys.services import survey_create, survey_publish
org = organisation_create(name="Acme", slug="acme", brand="Acme", languages=["en", "it"], default_language="en")
store = unit_create(organisation=org, kind=Unit.Kind.STORE, name="Milano", code="S1")
analyst = user_create(organisation=org, username="ana", password=%(password)r, role=Role.ANALYST)
ivo = user_create(organisation=org, username="ivo", password=%(password)r, role=Role.INTERVIEWER, units=[store])
survey = survey_create(organisation=org, title="Visit", created_by=analyst, languages=["en", "it"],
                       default_language="en", template_key="store_intercept")
survey_publish(survey=survey, actor=analyst)
assignment_create(actor=analyst, survey=survey, unit=store, interviewer=ivo, quantity=1000)
print(json.dumps({"survey": survey.id, "unit": store.id}))
"""

# N interview records as the app stores them (status "waiting"), written into IndexedDB store `store` of `db`.
FILL = """async ([db, store, version, n, survey, unit]) => {
  const database = await new Promise((resolve, reject) => {
    const open = indexedDB.open(db, version);
    open.onupgradeneeded = () => { if (!open.result.objectStoreNames.contains(store))
                                     open.result.createObjectStore(store, { keyPath: "client_key" }); };
    open.onsuccess = () => resolve(open.result); open.onerror = () => reject(open.error);
  });
  const now = Date.now();
  const records = [];
  for (let i = 0; i < n; i++) {
    const t = now - (n - i) * 60000;
    const event = (name, node, extra) => Object.assign({ event: name, node: node, start: t, end: t + 5000,
      latitude: 45.81, longitude: 15.97, accuracy: 12, old_value: null, new_value: null }, extra || {});
    records.push({ client_key: crypto.randomUUID(), status: "waiting", survey_id: survey, version: 1, unit_id: unit,
      language: i % 2 ? "it" : "en", started_at: new Date(t).toISOString(),
      submitted_at: new Date(t + 90000).toISOString(),
      finished_ms: t + 90000, complete: true,
      answers: { store_experience: 4, merchandise: 3, staff_behaviour: 5, staff_professionalism: 4, did_buy: "no",
                 why_not_buy: ["price", "queue"], nps: i % 11, comment: "Comment number " + i + " about the queue",
                 age_group: "25-34", gender: "female" },
      location: { latitude: 45.81, longitude: 15.97, accuracy: 12, status: "ok" },
      audit: [event("form start", ""), event("question", "/data/store_experience", { new_value: "4" }),
              event("question", "/data/nps", { new_value: String(i % 11) }), event("end screen", ""),
              event("form finalize", "")] });
  }
  await new Promise((resolve, reject) => {
    const tx = database.transaction(store, "readwrite");
    records.forEach(r => tx.objectStore(store).put(r));
    tx.oncomplete = resolve; tx.onerror = () => reject(tx.error);
  });
  database.close();
  return records.length;
}"""

ANCHOR = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Anchor</title></head>
<body><p id="count">…</p><script>
const open = indexedDB.open("anchor", 1);
open.onupgradeneeded = () => open.result.createObjectStore("interviews", { keyPath: "client_key" });
open.onsuccess = () => {
  const get = open.result.transaction("interviews").objectStore("interviews").getAll();
  get.onsuccess = () => {
    document.getElementById("count").textContent = get.result.length + " waiting to send";
    document.documentElement.setAttribute("data-app", "ready");
    performance.mark("anchor-ready");
  };
};
</script><!-- %s --></body></html>"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_up(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def _open_ms(context, url: str, mark: str) -> float:
    page = context.new_page()
    page.goto(url, wait_until="commit")
    page.wait_for_selector("html[data-app=ready]", timeout=60_000)
    found = page.evaluate(f"performance.getEntriesByName({mark!r})[0].startTime")
    page.close()
    return float(found)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        pass


def _anchor_server(directory: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    """A bare static file server on loopback for the anchor page."""
    port = _free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=500)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as data_dir:
        env = {k: v for k, v in os.environ.items() if k not in {"HEED_BROKER_URL", "HEED_TASKS_EAGER"}}
        env |= {"HEED_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "heed.settings",
                "HEED_DATABASE_URL": f"sqlite:///{data_dir}/bench.sqlite3"}  # fmt: skip
        setup = subprocess.run([sys.executable, "-c", SETUP % {"password": PASSWORD}], env=env, capture_output=True,
                               text=True, check=True)  # fmt: skip
        ids = json.loads(setup.stdout.strip().splitlines()[-1])
        port = _free_port()
        serve = subprocess.Popen([sys.executable, "-m", "heed.cli", "serve", "--port", str(port), "--worker", "no",
                                  "--processes", "1", "--threads", "4"], env=env, start_new_session=True,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        anchor_dir = Path(data_dir) / "anchor"
        anchor_dir.mkdir()
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_up(f"{base}/health/")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
                context = browser.new_context(base_url=base, **PHONE)
                page = context.new_page()
                page.goto("/login/")
                page.get_by_label("Username").fill("ivo")
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Log in").click()
                page.wait_for_url(lambda url: "/login/" not in url)
                page.goto("/fieldwork/app/")
                page.wait_for_selector("html[data-worker=ready]", timeout=60_000)
                page.wait_for_selector(".assignment", timeout=60_000)
                args = ["heed-fieldwork", "interviews", 1, options.interviews, ids["survey"], ids["unit"]]
                stored = page.evaluate(FILL, args)
                size = sum(
                    len(urllib.request.urlopen(f"{base}{path}").read())
                    for path in ("/static/fieldwork/app.js", "/static/heed/conditions.js", "/static/fieldwork/app.css")
                )
                size += len(page.content().encode())
                page.close()
                context.set_offline(True)
                app_url = "/fieldwork/app/"
                _open_ms(context, app_url, "heed-app-ready")  # warm-up
                app = [_open_ms(context, app_url, "heed-app-ready") for _ in range(options.runs)]
                check = context.new_page()
                check.goto(app_url)
                check.wait_for_selector("html[data-app=ready]")
                counter = check.locator("#unsent").inner_text()
                check.close()
                context.set_offline(False)

                padding = "x" * max(size - len(ANCHOR), 0)
                (anchor_dir / "index.html").write_text(ANCHOR % padding, encoding="utf-8")
                server, anchor_port = _anchor_server(anchor_dir)
                anchor_url = f"http://127.0.0.1:{anchor_port}/index.html"
                filler = context.new_page()
                filler.goto(anchor_url)
                filler.wait_for_selector("html[data-app=ready]")
                filler.evaluate(FILL, ["anchor", "interviews", 1, options.interviews, ids["survey"], ids["unit"]])
                filler.close()
                _open_ms(context, anchor_url, "anchor-ready")  # warm-up
                anchor = [_open_ms(context, anchor_url, "anchor-ready") for _ in range(options.runs)]
                server.shutdown()
                browser.close()
        finally:
            if serve.poll() is None:
                os.killpg(serve.pid, signal.SIGTERM)
                serve.wait(timeout=30)
    app_ms, anchor_ms = statistics.median(app), statistics.median(anchor)
    print(f"interviews stored: {stored}; app counter when opened offline: {counter!r}")
    print(f"page + scripts + styles: {size} bytes (the anchor page is padded to the same size)")
    print(f"PWA open to interactive (offline, shell from the service worker, {options.interviews} in IndexedDB): "
          f"median {app_ms:.1f} ms of {options.runs} (min {min(app):.1f}, max {max(app):.1f})")  # fmt: skip
    print(f"anchor: static page of the same size + IndexedDB getAll of {options.interviews}: "
          f"median {anchor_ms:.1f} ms (min {min(anchor):.1f}, max {max(anchor):.1f})")  # fmt: skip
    print(f"ratio PWA / anchor: {app_ms / anchor_ms:.2f}")


if __name__ == "__main__":
    main()
