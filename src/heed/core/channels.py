"""Channels through which feedback arrives; shared by distribution and responses."""

from typing import TYPE_CHECKING, Literal

from django.db import models


class Channel(models.TextChoices):
    WEB = "web", "Web link"
    QR = "qr", "QR code (in store)"
    EMAIL = "email", "Email invitation"
    SMS = "sms", "SMS"
    INTERCEPT = "intercept", "Interviewer intercept"
    PHONE = "phone", "Phone interview"
    WIDGET = "widget", "Embedded widget"
    TRANSACTION = "transaction", "After a transaction"
    API = "api", "API"


# The channel values as a type: API schemas list them as an enum in the OpenAPI. Built from ``Channel`` at run
# time, so a static type checker sees a plain str.
if TYPE_CHECKING:
    ChannelName = str
else:
    ChannelName = Literal[tuple(Channel.values)]
