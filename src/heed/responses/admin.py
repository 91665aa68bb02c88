"""Operator's view of responses: read-only, except deletion (erasure on request), which goes through
``responses.services.response_delete`` so the rollups follow and the audit log records it."""

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from heed.core.admin import ReadOnlyInline
from heed.responses.models import Answer, Response
from heed.responses.services import response_delete


class AnswerInline(ReadOnlyInline):
    model = Answer
    readonly_fields = ("question_key", "question_type", "number_value", "text_value", "choice_values")


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("id", "survey", "unit", "channel", "language", "submitted_at", "nps_score", "csat_score")
    list_filter = ("channel", "language")
    inlines = [AnswerInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Response) -> None:
        response_delete(response=obj, actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Response]) -> None:
        with transaction.atomic():
            for response in queryset.select_related(None):
                response_delete(response=response, actor=request.user)  # type: ignore[arg-type]
