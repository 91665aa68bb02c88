from django.contrib import admin

from heed.responses.models import Answer, Response


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    readonly_fields = ("question_key", "question_type", "number_value", "text_value", "choice_values")
    can_delete = False


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Responses are evidence: the admin shows them read-only."""

    list_display = ("id", "survey", "unit", "channel", "language", "submitted_at", "nps_score", "csat_score")
    list_filter = ("channel", "language")
    inlines = [AnswerInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False
