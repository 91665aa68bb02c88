"""/api/docs works offline: Swagger UI comes from local static files, in real Chromium with the network cut.

Every request the page makes to a host other than the live server is aborted and recorded; the page
must still render the operations of the OpenAPI (so the assets are local), and none may have been
attempted (so nothing is fetched from a CDN or an online validator).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.integration.test_browser_e2e import _context, chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
        context = _context(browser, live_server.url)
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
