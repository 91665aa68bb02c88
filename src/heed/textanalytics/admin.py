from django.contrib import admin

from heed.textanalytics.models import SentimentModelVersion, StaffMember, TextAnnotation, ThemeDefinition


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ("first_name", "last_name", "unit", "is_active")
    list_filter = ("is_active", "organisation")
    search_fields = ("first_name", "last_name")


@admin.register(ThemeDefinition)
class ThemeDefinitionAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "source", "is_active", "organisation")
    list_filter = ("source", "is_active")


@admin.register(SentimentModelVersion)
class SentimentModelVersionAdmin(admin.ModelAdmin):
    list_display = ("version", "organisation", "trained_at", "examples", "is_active")
    exclude = ("blob",)
    readonly_fields = ("version", "examples", "metrics", "trained_at")


@admin.register(TextAnnotation)
class TextAnnotationAdmin(admin.ModelAdmin):
    """Annotations are machine output: read-only here, shown with personal data masked."""

    list_display = ("answer_id", "language", "sentiment", "model_version")
    list_filter = ("language", "sentiment")
    exclude = ("answer",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
