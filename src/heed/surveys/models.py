"""Surveys: an editable draft of questions, and immutable published versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from heed.surveys.definition import QUESTION_TYPES, resolve_metric


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=200)  # the analysts' own name for it: never shown to respondents
    public_titles = models.JSONField(default=dict, blank=True)  # {language: the name respondents see}
    default_language = models.CharField(max_length=8, default="en")
    languages = models.JSONField(default=list)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    template_key = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """One question of a survey's draft. Published versions hold their own frozen copy."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=40)
    type = models.CharField(max_length=20, choices=[(t, t) for t in QUESTION_TYPES])
    required = models.BooleanField(default=False)
    texts = models.JSONField(default=dict, help_text="language -> question text")
    options = models.JSONField(default=list, help_text='[{"value": "...", "labels": {"en": "..."}}]')
    min_value = models.FloatField(null=True, blank=True)
    max_value = models.FloatField(null=True, blank=True)
    metric = models.CharField(max_length=8, blank=True)
    show_if = models.JSONField(null=True, blank=True, help_text='{"question": key, "op": "eq", "value": ...}')
    screen_out_if = models.JSONField(
        null=True, blank=True, help_text="screening: a rule on this or earlier answers that ends the interview"
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "key"], name="question_key_unique_per_survey")]

    def __str__(self) -> str:
        return self.key

    @property
    def effective_metric(self) -> str:
        """The headline metric this question counts for once published ("" for none)."""
        return resolve_metric(self.type, self.metric)


class SurveyVersion(models.Model):
    """A published, immutable snapshot of a survey. Responses point at the version they answered."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    definition = models.JSONField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="survey_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"
