"""Failed API token authentications are throttled per client address: after HEED_API_TOKEN_FAILURE_RATE
(30 per 10 minutes by default) the address gets 429 JSON with Retry-After, before any token is checked;
valid tokens never count, and other addresses are unaffected."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from heed.accounts.services import api_token_create


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    cache.clear()
    yield
    cache.clear()


def _api(key: str, address: str) -> Client:
    return Client(REMOTE_ADDR=address, headers={"Authorization": f"Bearer {key}"})


def test_200_wrong_tokens_are_throttled_after_30(world):
    statuses = [_api(f"heed_wrong{i}", "10.5.0.1").get("/api/surveys").status_code for i in range(200)]
    assert statuses[:30] == [401] * 30
    assert set(statuses[30:]) == {429}
    reply = _api("heed_wrong", "10.5.0.1").get("/api/surveys")
    body = reply.json()
    assert body["code"] == "too_many_requests" and "Try again in" in body["detail"]
    assert 1 <= int(reply["Retry-After"]) <= 600 and body["retry_after"] == int(reply["Retry-After"])


def test_a_blocked_address_cannot_use_even_a_valid_token_but_others_can(world):
    _token, key = api_token_create(user=world.analyst, name="checkout")
    for i in range(30):
        _api(f"heed_nope{i}", "10.5.0.2").get("/api/surveys")
    assert _api(key, "10.5.0.2").get("/api/surveys").status_code == 429
    assert _api(key, "10.5.0.3").get("/api/surveys").status_code == 200


def test_valid_tokens_never_count(world):
    _token, key = api_token_create(user=world.analyst, name="checkout")
    client = _api(key, "10.5.0.4")
    assert {client.get("/api/surveys").status_code for _ in range(40)} == {200}
    assert _api("heed_wrong", "10.5.0.4").get("/api/surveys").status_code == 401


def test_the_limit_follows_the_setting(world, settings):
    settings.API_TOKEN_FAILURE_RATE = "3/min"
    statuses = [_api("heed_x", "10.5.0.5").get("/api/surveys").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 429, 429]


def test_behind_a_trusted_proxy_the_forwarded_address_counts(world, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.API_TOKEN_FAILURE_RATE = "2/min"
    proxy = "10.0.0.254"

    def attempt(client_address: str) -> int:
        client = Client(
            REMOTE_ADDR=proxy,
            headers={"Authorization": "Bearer heed_bad", "X-Forwarded-For": f"6.6.6.6, {client_address}"},
        )
        return client.get("/api/surveys").status_code

    assert [attempt("198.51.100.20") for _ in range(3)] == [401, 401, 429]
    assert attempt("198.51.100.21") == 401  # another client behind the same proxy
