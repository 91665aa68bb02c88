from django.contrib import admin

from heed.distribution.models import Invitation, SurveyLink


@admin.register(SurveyLink)
class SurveyLinkAdmin(admin.ModelAdmin):
    list_display = ("name", "survey", "channel", "unit", "touchpoint", "is_active")
    list_filter = ("channel", "is_active")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "link", "sent_at", "responded_at")
    readonly_fields = ("token",)
