"""The request edge on the API: control characters refused in every kind of text input, bodies capped with a
JSON 413, and every error under /api/ in the ``{"detail", "code"}`` shape (unknown path, wrong method)."""

from __future__ import annotations

import json

import pytest

from heed.responses.models import Answer, Response
from tests.conftest import VALID_INTERCEPT, api_client

NUL = "fine\u0000service"
FORBIDDEN = ["fine\u0000service", "bell\u0007", "esc\u001b[0m", "vt\u000b", "form\u000c", "lone \ud800 surrogate"]


def _post_raw(client, body: str | bytes):
    return client.post("/api/responses", data=body, content_type="application/json")


def _payload(world, **overrides) -> dict:
    return {"survey_id": world.survey.id, "answers": dict(VALID_INTERCEPT), "unit_id": world.store_a.id} | overrides


def _assert_control_refusal(response) -> None:
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == "control_characters" and "U+" in body["detail"], body


@pytest.mark.parametrize("text", FORBIDDEN)
@pytest.mark.parametrize("where", ["answer", "answer_key", "client_key", "touchpoint", "language"])
def test_control_characters_in_json_are_refused_and_nothing_is_stored(world, text, where):
    payload = _payload(world)
    if where == "answer":
        payload["answers"]["comment"] = text
    elif where == "answer_key":
        payload["answers"][text] = "x"
    else:
        payload[where] = text
    # json.dumps escapes them (\u0000, \ud800), as any client does.
    _assert_control_refusal(_post_raw(api_client(world.analyst), json.dumps(payload)))
    assert Response.objects.count() == 0


def test_raw_control_bytes_in_json_are_invalid_json(world):
    body = json.dumps(_payload(world)).replace("Great", "Gr\x00eat")
    response = _post_raw(api_client(world.analyst), body.encode())
    assert response.status_code == 400 and response.json()["code"] in {"invalid_json", "control_characters"}
    assert Response.objects.count() == 0


def test_tab_newline_and_carriage_return_are_kept(world):
    payload = _payload(world)
    payload["answers"]["comment"] = "first line\r\nsecond\tcolumn"
    response = _post_raw(api_client(world.analyst), json.dumps(payload))
    assert response.status_code == 201, response.content
    assert Answer.objects.get(question_key="comment").text_value == "first line\r\nsecond\tcolumn"


def test_an_escaped_backslash_u_is_ordinary_text(world):
    payload = _payload(world)
    payload["answers"]["comment"] = "path C:\\u0000\\new is fine"
    response = _post_raw(api_client(world.analyst), json.dumps(payload))
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    "path",
    ["/api/responses?touchpoint=fine%00service", "/api/metrics?age_group=%1b", "/api/themes?x%00y=1",
     "/api/surveys/1%00/drivers", "/api/staff-mentions?channel=web%07"],
)  # fmt: skip
def test_control_characters_in_query_strings_and_paths_are_refused(world, path):
    _assert_control_refusal(api_client(world.analyst).get(path))


def test_the_rule_is_in_the_openapi(world):
    schema = api_client(world.analyst).get("/api/openapi.json").json()
    touchpoint = schema["components"]["schemas"]["ResponseIn"]["properties"]["touchpoint"]
    assert touchpoint["pattern"] == r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f]*$"
    assert "control_characters" in schema["info"]["description"]


def test_a_body_over_the_api_limit_is_a_json_413_with_the_limit(world, settings):
    settings.HEED_API_MAX_BODY_BYTES = 10_000
    body = json.dumps(_payload(world, touchpoint="", answers={"comment": "x" * 20_000}))
    response = _post_raw(api_client(world.analyst), body)
    assert response.status_code == 413
    assert response.json() == {
        "detail": "The request body is larger than 10000 bytes.", "code": "payload_too_large", "limit_bytes": 10_000
    }  # fmt: skip
    assert Response.objects.count() == 0


def test_the_api_takes_bodies_of_a_few_megabytes_pages_do_not(world, settings):
    assert settings.HEED_API_MAX_BODY_BYTES >= 4 * 1024 * 1024  # room for a batch of 500 responses
    assert settings.HEED_PAGE_MAX_BODY_BYTES <= 1024 * 1024
    extra = {f"k{i}": "v" * 4000 for i in range(400)}
    payload = _payload(world, answers=dict(VALID_INTERCEPT) | extra)
    response = _post_raw(api_client(world.analyst), json.dumps(payload))  # ~1.6 MB: read, then refused on content
    assert response.status_code == 422 and response.json()["code"] == "invalid_answers"


def test_a_body_over_the_limit_is_refused_before_authentication(world, settings):
    settings.HEED_API_MAX_BODY_BYTES = 100
    response = _post_raw(api_client(world.analyst).__class__(), "x" * 200)
    assert response.status_code == 413 and response.json()["limit_bytes"] == 100


def test_413_is_documented_for_operations_with_a_body(world):
    schema = api_client(world.analyst).get("/api/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if "requestBody" in operation:
                assert "413" in operation["responses"], (method, path)
            if operation.get("security"):
                assert "401" in operation["responses"], (method, path)


def test_errors_outside_the_views_are_json_too(world):
    client = api_client(world.analyst)
    missing = client.get("/api/no-such-endpoint")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    wrong_method = client.delete("/api/responses")
    assert wrong_method.status_code == 405 and wrong_method.json()["code"] == "method_not_allowed"
    assert "GET" in wrong_method["Allow"]
    anonymous = api_client(world.analyst).__class__().post("/api/responses", data="{}", content_type="application/json")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthenticated"


def test_a_crash_under_api_is_a_json_500_without_details():
    from django.http import HttpResponseServerError

    from heed.core.middleware import api_error_as_json

    response = api_error_as_json(HttpResponseServerError("<h1>Server Error (500)</h1><pre>Traceback</pre>"))
    assert response.status_code == 500
    assert json.loads(response.content) == {
        "detail": "Something went wrong on our side; the error was logged.", "code": "internal_server_error"
    }  # fmt: skip


def test_too_many_query_parameters_are_a_json_400(world):
    query = "&".join(f"p{i}=1" for i in range(1200))
    response = api_client(world.analyst).get(f"/api/responses?{query}")
    assert response.status_code == 400 and response.json()["code"] == "bad_request"


def test_json_nested_beyond_the_parsers_depth_is_a_400(world):
    body = '{"survey_id": 1, "answers": {"a": "\\u0041"}, "deep": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = _post_raw(api_client(world.analyst), body)
    assert response.status_code == 400 and response.json()["code"] == "invalid_json"


def test_throttling_answers_the_json_shape_with_retry_after(rf):
    from ninja.errors import Throttled

    from heed.api.api import api

    response = api.on_exception(rf.get("/api/surveys"), Throttled(wait=7))
    assert response.status_code == 429 and response["Retry-After"] == "7"
    body = json.loads(response.content)
    assert body["code"] == "too_many_requests" and body["retry_after"] == 7 and "7 seconds" in body["detail"]


def test_the_refusal_names_the_field_like_validation_errors_do(world):
    client = api_client(world.analyst)
    assert client.get("/api/themes?touchpoint=a%00").json()["field"] == "query.touchpoint"
    payload = _payload(world)
    payload["answers"]["comment"] = NUL
    assert _post_raw(client, json.dumps(payload)).json()["field"] == "body.answers.comment"
