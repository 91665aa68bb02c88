"""API shapes shared by every router (``ErrorOut``) and, until their apps own them, the analytics and text
analytics shapes. Each app's own shapes live in its ``api.py`` or ``schemas.py``."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import model_validator


class BodyIn(Schema):
    """A request body: a JSON object. (ninja reads a schema from any value's attributes, so a body of ``"AAA"``
    would fill ``title`` from ``str.title``; a string, number, list or null is refused with 422 instead.)"""

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, data: Any) -> Any:
        body = data._obj if isinstance(data, DjangoGetter) else data  # ninja wraps the value before this runs
        if not isinstance(body, dict):
            raise ValueError("the body must be a JSON object")
        return data


class ErrorOut(Schema):
    """Every error: a message safe to show and a snake_case code; some codes carry more fields."""

    detail: str
    code: str
    errors: dict[str, str] | None = Field(
        None, description="invalid_input / invalid_answers: field (query.limit, body.answers.nps) -> message"
    )
    field: str | None = Field(None, description="control_characters: where the character was (query.x, body.a.b)")
    limit_bytes: int | None = Field(None, description="payload_too_large: the largest body accepted, in bytes")
