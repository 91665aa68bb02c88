"""Channels through which feedback arrives; shared by distribution and responses."""

from typing import TYPE_CHECKING, Literal

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WEB = "web", _("Web link")
    QR = "qr", _("QR code (in store)")
    EMAIL = "email", _("Email invitation")
    SMS = "sms", _("SMS")
    INTERCEPT = "intercept", _("Interviewer intercept")
    PHONE = "phone", _("Phone interview")
    WIDGET = "widget", _("Embedded widget")
    TRANSACTION = "transaction", _("After a transaction")
    API = "api", _("API")


# The channel values as a type: API schemas list them as an enum in the OpenAPI. Built from ``Channel`` at run
# time, so a static type checker sees a plain str.
if TYPE_CHECKING:
    ChannelName = str
else:
    ChannelName = Literal[tuple(Channel.values)]
