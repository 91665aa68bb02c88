from django.contrib import admin

from heed.surveys.models import Question, Survey, SurveyVersion


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ("position", "key", "type", "required", "metric")


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "status", "default_language", "created_at")
    list_filter = ("status", "organisation")
    inlines = [QuestionInline]


@admin.register(SurveyVersion)
class SurveyVersionAdmin(admin.ModelAdmin):
    """Published versions are immutable: the admin shows them read-only."""

    list_display = ("survey", "number", "published_at", "published_by")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
