"""/api/docs references only this server: Swagger UI's files come from django-ninja's static folder."""

from __future__ import annotations

import re

from django.test import Client


def test_docs_page_references_no_external_host(db):
    client = Client()
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references, html
    assert all(ref.startswith("/") and not ref.startswith("//") for ref in references), references
    assert '"validatorUrl": null' in html  # no badge fetched from validator.swagger.io
    for ref in references:
        asset = client.get(ref)
        assert asset.status_code == 200, ref
        body = b"".join(asset.streaming_content) if asset.streaming else asset.content
        assert body, ref
