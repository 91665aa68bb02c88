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
