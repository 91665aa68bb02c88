"""How a survey reaches people: links (web, QR, intercept, ...) and personal invitations."""

from __future__ import annotations

from django.db import models

from heed.core.channels import Channel


class SurveyLink(models.Model):
    """A public entry point to a survey for one channel, optionally tied to a unit and touchpoint."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="links")
    token = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=120, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    unit = models.ForeignKey("accounts.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    touchpoint = models.CharField(max_length=60, blank=True, help_text="e.g. checkout, delivery, support call")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name or f"{self.get_channel_display()} link"


class Invitation(models.Model):
    """A personal invitation: its token admits exactly one response."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    link = models.ForeignKey(SurveyLink, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=43, unique=True)
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=120, blank=True)
    language = models.CharField(max_length=8, blank=True)
    send_requested = models.BooleanField(
        default=False, help_text="an e-mail is owed: the periodic reconciliation re-queues it until sent_at is set"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.email or self.token[:8]


class Contact(models.Model):
    """A person the organisation may invite or call: the directory that e-mail invitations, transaction
    triggers and phone call lists draw from.

    ``email`` is stored trimmed and lower-cased (one contact per address and organisation); ``phone`` in E.164;
    ``language`` one of Heed's language codes (empty: the organisation's); ``time_zone`` an IANA name (empty:
    the unit's or the list's); ``unit``: the store or branch the person belongs to (scopes who sees them);
    ``attributes``: the file's other columns (column name -> text)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("accounts.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=20, blank=True, help_text="E.164, e.g. +385912345678")
    name = models.CharField(max_length=120, blank=True)
    language = models.CharField(max_length=8, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "email", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"], condition=~models.Q(email=""), name="distribution_contact_email"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "phone"], name="distribution_contact_phone"),
            models.Index(fields=["organisation", "unit"], name="distribution_contact_unit"),
        ]

    def __str__(self) -> str:
        return self.name or self.email or self.phone
