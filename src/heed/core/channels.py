"""Channels through which feedback arrives; shared by distribution and responses."""

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
