from django.contrib import admin

from heed.core.admin import ReadOnlyAdmin
from heed.governance.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log is evidence: read-only everywhere."""

    list_display = ("created_at", "organisation", "actor_name", "action", "target_label")
    list_filter = ("action", "target_type", "organisation")
