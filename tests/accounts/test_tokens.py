"""API tokens from the web page and the command: shown once, work with the user's scope, can be revoked."""

import re
from io import StringIO

from django.core.management import call_command
from django.test import Client

from heed.accounts.models import ApiToken
from tests.conftest import login


def test_create_use_and_revoke_a_token_from_the_page(world):
    client = login(world.manager_a)
    created = client.post("/account/tokens/", {"name": "till system"})
    assert created.status_code == 302 and created["Location"] == "/account/tokens/"
    page = client.get(created["Location"]).content.decode()
    key = re.search(r'<code id="new-key">(heed_[\w-]+)</code>', page).group(1)
    token = ApiToken.objects.get(user=world.manager_a)
    assert key not in client.get("/account/tokens/").content.decode()  # shown once
    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert api.get("/api/surveys").status_code == 200
    client.post(f"/account/tokens/{token.id}/revoke/")
    assert api.get("/api/surveys").status_code == 401
    assert login(world.analyst).post(f"/account/tokens/{token.id}/revoke/").status_code == 404  # not theirs


def test_create_api_token_command(world):
    out = StringIO()
    call_command("create_api_token", "ana", "ETL", stdout=out)
    key = out.getvalue().strip()
    assert key.startswith("heed_")
    assert Client(headers={"Authorization": f"Bearer {key}"}).get("/api/responses").status_code == 200
