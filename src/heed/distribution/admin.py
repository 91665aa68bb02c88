"""Operator's read-only view: links and invitations are made on the survey's Links page and the API."""

from django.contrib import admin

from heed.core.admin import ReadOnlyAdmin
from heed.distribution.models import Invitation, SurveyLink


@admin.register(SurveyLink)
class SurveyLinkAdmin(ReadOnlyAdmin):
    list_display = ("name", "survey", "channel", "unit", "touchpoint", "is_active")
    list_filter = ("channel", "is_active")


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("email", "link", "sent_at", "responded_at")
    exclude = ("token",)
