"""Operator's read-only view: surveys are built and published in the builder (surveys.services)."""

from django.contrib import admin

from heed.core.admin import ReadOnlyAdmin, ReadOnlyInline
from heed.surveys.models import Question, Survey, SurveyVersion


class QuestionInline(ReadOnlyInline):
    model = Question
    fields = ("position", "key", "type", "required", "metric")


@admin.register(Survey)
class SurveyAdmin(ReadOnlyAdmin):
    list_display = ("title", "organisation", "status", "default_language", "created_at")
    list_filter = ("status", "organisation")
    inlines = [QuestionInline]


@admin.register(SurveyVersion)
class SurveyVersionAdmin(ReadOnlyAdmin):
    """Published versions are immutable."""

    list_display = ("survey", "number", "published_at", "published_by")
