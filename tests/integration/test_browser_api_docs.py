"""/api/docs works offline: Swagger UI comes from local static files, in real Chromium with the network cut.

Every request the page makes to a host other than the live server is aborted and recorded; the page
must still render the operations of the OpenAPI (so the assets are local), and none may have been
attempted (so nothing is fetched from a CDN or an online validator).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]  # fmt: skip


@contextmanager
def chromium() -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def test_api_docs_render_with_no_request_leaving_the_server(live_server):
    own = urlsplit(live_server.url).netloc
    outside: list[str] = []

    def guard(route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == own or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with chromium() as browser:
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(10_000)
        context.route("**/*", guard)
        page = context.new_page()
        response = page.goto("/api/docs")
        assert response is not None and response.status == 200
        page.wait_for_selector(".opblock-summary-path", timeout=15_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        page.close()
        context.close()
    assert any("/api/responses" in path for path in paths), paths
    assert any("/api/metrics" in path for path in paths), paths
    assert outside == []
