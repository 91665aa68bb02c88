"""What every endpoint may answer besides its own results, in the body and in the OpenAPI.

``HeedAPI`` is django-ninja's ``NinjaAPI`` with two additions that hold for every operation, so an
endpoint added later inherits them without listing them:

- **error bodies**: ninja's own errors (invalid parameters, unparsable JSON, an unknown object,
  throttling) become ``{"detail": <message>, "code": <snake_case>, ...}`` like the services' errors;
- **one value per parameter**: a single-valued parameter given more than once (``survey_id=1&survey_id=2``)
  is a 422 naming it, instead of ninja's "the last one wins" (``SingleValueParser``);
- **documented statuses**: the OpenAPI of each operation lists, with the ``ErrorOut`` shape, the
  4xx that the edge and ninja can produce for it: 400 (control characters, unparsable body),
  401 and 429 when it needs authentication, 413 when it takes a body, 422 when it takes input.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled, ValidationError, ValidationErrorContext
from ninja.parser import Parser

API_DESCRIPTION = """\
Authenticate with `Authorization: Bearer heed_…` (a token from *Account → Tokens*).

**Errors** are JSON `{"detail": "<message>", "code": "<snake_case>", ...}`; `errors` maps each invalid
field (`query.limit`, `body.submitted_at`, …) to its message. 422 means the input breaks this schema;
400 means a documented rule of the data (the `code` says which) or control characters.

**One value per parameter.** A parameter given more than once (`survey_id=1&survey_id=2`) is 422 naming
it; nothing is guessed. A `survey_id` or `unit_id` filter naming no survey of your organisation, or a unit
outside your units, is 404 (never figures of zero).

**Bounds.** Lists return at most 500 rows per page (`limit` 1-500, default 100; `offset` up to
10,000,000). Ids are 1 .. 2^63-1; dates are `YYYY-MM-DD` from 2000-01-01 to 2099-12-31; times are ISO 8601
from 2000-01-01 on and not in the future. Text may not contain C0 control characters other than tab,
line feed and carriage return, nor lone surrogates (400, code `control_characters`). Request bodies
are limited to `HEED_API_MAX_BODY_BYTES` (default 5 MiB; 413, code `payload_too_large`, with
`limit_bytes`).
"""
_ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
# heed.core.control_characters as a JSON Schema pattern: no C0 control besides tab, LF and CR.
TEXT_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f]*$"

# Statuses the edge or ninja may answer, with the description the OpenAPI shows.
EDGE_RESPONSES = {
    400: "Malformed input: control characters (code control_characters) or a body that is not JSON",
    401: "Missing, invalid or revoked API token (code unauthenticated)",
    413: "The body is larger than HEED_API_MAX_BODY_BYTES (code payload_too_large, with limit_bytes)",
    422: "Input that breaks the documented schema: out of range, wrong type, unknown value (code invalid_input)",
    429: "Too many requests (code too_many_requests); retry after the Retry-After header's seconds",
}
_HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 429: "too_many_requests"}


class RepeatedValues(list):
    """The values of a single-valued parameter that was given more than once: no schema type accepts a list, so
    validation fails on it, and ``HeedAPI`` words that error as a repeated parameter."""


class SingleValueParser(Parser):
    """ninja's parser, except that a repeated single-valued key keeps all its values (see ``RepeatedValues``)."""

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        for key in data:
            if key not in list_fields and len(values := data.getlist(key)) > 1:
                result[key] = RepeatedValues(values)
        return result


def _repeated_message(values: RepeatedValues) -> str:
    return f"given {len(values)} times; this parameter takes one value"


def _location(loc: tuple | list) -> str:
    """``("query", "limit")`` -> ``query.limit``; ``("body", <handler argument>, "answers")`` -> ``body.answers``."""
    parts = [str(part) for part in loc]
    if len(parts) > 2 and parts[0] == "body":
        parts = [parts[0], *parts[2:]]
    return ".".join(parts)


def validation_error_body(errors: list[dict[str, Any]]) -> dict[str, Any]:
    """ninja's list of pydantic errors as ``{"detail", "code": "invalid_input", "errors": {where: message}}``."""
    messages: dict[str, str] = {}
    for error in errors:
        where = _location(error.get("loc", ()))
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        if message in messages.get(where, ""):
            continue
        messages[where] = f"{messages[where]}; {message}" if where in messages else message
    first = next(iter(messages.items()), ("input", "invalid"))
    return {"detail": f"Invalid input: {first[0]}: {first[1]}", "code": "invalid_input", "errors": messages}


def _validation_error(request: HttpRequest, exc: ValidationError, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, validation_error_body(exc.errors), status=422)


def _http_error(request: HttpRequest, exc: HttpError, api: NinjaAPI) -> HttpResponse:
    code = _HTTP_CODES.get(exc.status_code, "invalid")
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        code, detail = "invalid_json", "The request body cannot be parsed as JSON."
    else:
        detail = str(exc) if str(exc).endswith(".") else f"{exc}."
    response = api.create_response(request, {"detail": detail, "code": code}, status=exc.status_code)
    if isinstance(exc, Throttled) and exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    return response


def _not_found(request: HttpRequest, exc: Http404, api: NinjaAPI) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found.", "code": "not_found"}, status=404)


def _takes_input(operation: dict[str, Any]) -> bool:
    return bool(operation.get("parameters") or operation.get("requestBody"))


def _without_null(parameter: dict[str, Any]) -> None:
    """A query parameter is optional by being left out; ``null`` cannot be spelled in a query string."""
    schema = parameter.get("schema", {})
    variants = schema.get("anyOf")
    if parameter.get("in") != "path" and variants and {"type": "null"} in variants:
        rest = [variant for variant in variants if variant != {"type": "null"}]
        merged = {key: value for key, value in schema.items() if key != "anyOf"}
        parameter["schema"] = {**rest[0], **merged} if len(rest) == 1 else {**merged, "anyOf": rest}


def _forbid_control_characters(node: Any, components: dict[str, Any], seen: set[str]) -> None:
    """Give every free-text string of an input schema the edge's rule as a ``pattern`` (refs followed once)."""
    if isinstance(node, list):
        for item in node:
            _forbid_control_characters(item, components, seen)
        return
    if not isinstance(node, dict):
        return
    if ref := node.get("$ref"):
        name = ref.rsplit("/", 1)[-1]
        if name not in seen and name in components:
            seen.add(name)
            _forbid_control_characters(components[name], components, seen)
        return
    for media in node.get("content", {}).values():  # a requestBody
        _forbid_control_characters(media.get("schema"), components, seen)
    if node.get("type") == "string" and not ({"enum", "const", "pattern", "format"} & node.keys()):
        node["pattern"] = TEXT_PATTERN
    if isinstance(node.get("propertyNames"), dict):  # keys of a free-form object are strings
        node["propertyNames"].setdefault("pattern", TEXT_PATTERN)
    for key in ("properties", "patternProperties"):
        for child in node.get(key, {}).values():
            _forbid_control_characters(child, components, seen)
    for key in ("items", "additionalProperties", "propertyNames", "anyOf", "oneOf", "allOf"):
        if key in node:
            _forbid_control_characters(node[key], components, seen)
    if node.get("type") == "object" and "additionalProperties" in node:
        node.setdefault("propertyNames", {"pattern": TEXT_PATTERN})


def document_edge_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the statuses of ``EDGE_RESPONSES`` that apply to each operation (those it documents stay)."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            components = schema.get("components", {}).get("schemas", {})
            for parameter in operation.get("parameters", []):
                _without_null(parameter)
                _forbid_control_characters(parameter.get("schema"), components, set())
            _forbid_control_characters(operation.get("requestBody"), components, set())
            statuses = []
            if _takes_input(operation):
                statuses += [400, 422]
            if operation.get("security"):
                statuses += [401, 429]
            if operation.get("requestBody"):
                statuses.append(413)
            responses = operation["responses"]
            for status in statuses:
                if status not in responses and str(status) not in responses:  # ninja keys them by int
                    responses[status] = {
                        "description": EDGE_RESPONSES[status],
                        "content": {"application/json": {"schema": _ERROR_REF}},
                    }
    return schema


class HeedAPI(NinjaAPI):
    """NinjaAPI whose errors all have the ``{"detail", "code"}`` shape and whose OpenAPI lists them."""

    def set_default_exception_handlers(self) -> None:
        super().set_default_exception_handlers()
        self.add_exception_handler(ValidationError, partial(_validation_error, api=self))
        self.add_exception_handler(HttpError, partial(_http_error, api=self))
        self.add_exception_handler(Http404, partial(_not_found, api=self))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("parser", SingleValueParser())
        super().__init__(*args, **kwargs)

    def validation_error_from_error_contexts(self, error_contexts: list[ValidationErrorContext]) -> ValidationError:
        """ninja's errors, with a repeated parameter's (whatever its type) said as such, at the parameter."""
        repeated: list[RepeatedValues | None] = [
            error["input"] if isinstance(error.get("input"), RepeatedValues) else None
            for context in error_contexts
            for error in context.pydantic_validation_error.errors(include_url=False)
        ]
        exc = super().validation_error_from_error_contexts(error_contexts)
        for error, values in zip(exc.errors, repeated, strict=True):
            if values is not None:
                error.update(loc=tuple(error["loc"])[:2], msg=_repeated_message(values), type="repeated_parameter")
        return exc

    def get_openapi_operation_id(self, operation: Any) -> str:
        """The handler's name (``surveys_list``), not its module path: an endpoint keeps its operationId when
        its code moves to another app's router. Names are unique across the API (checked by a test)."""
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_edge_responses(schema)
