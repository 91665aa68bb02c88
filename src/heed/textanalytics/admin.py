"""Operator's read-only view: staff lists are kept on the Organisation pages, themes on the Themes page,
annotations and sentiment models are machine output (textanalytics.services). Text items are not listed: they
hold the customer text unmasked, and a read-only admin of theirs would block deleting a response (the cascade)."""

from django.contrib import admin

from heed.core.admin import ReadOnlyAdmin
from heed.textanalytics.models import SentimentModelVersion, StaffMember, TextAnnotation, ThemeDefinition


@admin.register(StaffMember)
class StaffMemberAdmin(ReadOnlyAdmin):
    list_display = ("first_name", "last_name", "unit", "is_active")
    list_filter = ("is_active", "organisation")
    search_fields = ("first_name", "last_name")


@admin.register(ThemeDefinition)
class ThemeDefinitionAdmin(ReadOnlyAdmin):
    list_display = ("name", "key", "source", "is_active", "organisation")
    list_filter = ("source", "is_active")


@admin.register(SentimentModelVersion)
class SentimentModelVersionAdmin(ReadOnlyAdmin):
    list_display = ("version", "organisation", "trained_at", "examples", "is_active")
    exclude = ("blob",)


@admin.register(TextAnnotation)
class TextAnnotationAdmin(ReadOnlyAdmin):
    """Shown with personal data masked (the stored text is the redacted one)."""

    list_display = ("item_id", "answer_id", "language", "sentiment", "model_version")
    list_filter = ("language", "sentiment")
    exclude = ("answer", "item")
