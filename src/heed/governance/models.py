"""The audit log: who changed what in an organisation, when, with the values before and after."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from heed.governance.actions import ACTIONS, TARGET_TYPES


class AuditEvent(models.Model):
    """One recorded change. Written only by ``governance.services.audit_record``; never edited."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, help_text="the actor's username, kept if the user is deleted")
    action = models.CharField(max_length=40, choices=list(ACTIONS.items()))
    target_type = models.CharField(max_length=20, choices=list(TARGET_TYPES.items()))
    target_id = models.CharField(max_length=40)
    target_label = models.CharField(max_length=200)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="audit_org_time"),
            models.Index(fields=["organisation", "target_type", "target_id"], name="audit_org_target"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_label}"

    def changes(self) -> list[tuple[str, str, str]]:
        """(field, before, after) as words for every field whose value differs, in a stable order."""
        fields = sorted(set(self.before) | set(self.after))
        return [
            (field, _shown(self.before.get(field)), _shown(self.after.get(field)))
            for field in fields
            if self.before.get(field) != self.after.get(field)
        ]


def _shown(value: object) -> str:
    """A snapshot value as people read it: lists joined, yes/no, a dash for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
