"""Responses and their answers.

Headline scores (NPS, CSAT, CES) and demographics are copied onto the response row when it is
submitted, so metrics aggregate one table in the database without joining answers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from heed.core.channels import Channel


class ReviewState(models.TextChoices):
    """Where a response stands in review (ODK Central's review states). ``received`` and ``edited`` are set by
    the system (on storing, on ``response_edit``); the others by a reviewer (``response_review_set``).
    ``rejected`` responses are left out of every figure unless a filter asks for them."""

    RECEIVED = "received", _("Received")
    HAS_ISSUES = "has_issues", _("Has issues")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    EDITED = "edited", _("Edited")


class Response(models.Model):
    # No single-column indexes where a composite one starts with the column (response_org_time,
    # response_survey_time): every index is written on each insert, the hottest path there is.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="responses", db_index=False)
    version = models.ForeignKey("surveys.SurveyVersion", on_delete=models.PROTECT, related_name="responses")
    link = models.ForeignKey(
        "distribution.SurveyLink", null=True, blank=True, on_delete=models.SET_NULL, related_name="responses"
    )
    invitation = models.OneToOneField(
        "distribution.Invitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    unit = models.ForeignKey("accounts.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    language = models.CharField(max_length=8)
    touchpoint = models.CharField(max_length=60, blank=True)
    client_key = models.CharField(
        max_length=100,
        null=True,
        blank=True,
        help_text="Idempotency key from the client: resubmitting never duplicates.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField()
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    nps_score = models.SmallIntegerField(null=True, blank=True)
    csat_score = models.SmallIntegerField(null=True, blank=True)
    ces_score = models.SmallIntegerField(null=True, blank=True)
    age_group = models.CharField(max_length=16, blank=True)
    gender = models.CharField(max_length=16, blank=True)
    region = models.CharField(max_length=60, blank=True)
    # db_default too: rows written by plain SQL (benchmarks, bulk loads) start as received as well.
    review_state = models.CharField(max_length=12, choices=ReviewState.choices, default=ReviewState.RECEIVED,
                                    db_default=ReviewState.RECEIVED)  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "client_key"], name="response_client_key_unique"),
        ]
        indexes = [
            models.Index(fields=["organisation", "submitted_at"], name="response_org_time"),
            models.Index(fields=["organisation", "unit", "submitted_at"], name="response_org_unit_time"),
            models.Index(fields=["survey", "submitted_at"], name="response_survey_time"),
        ]

    def __str__(self) -> str:
        return f"Response {self.pk} to survey {self.survey_id}"


class Answer(models.Model):
    # Looked up (and cascaded) by response through answer_unique_per_question, whose first column it is.
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", db_index=False)
    question_key = models.CharField(max_length=40)
    question_type = models.CharField(max_length=20)
    number_value = models.FloatField(null=True, blank=True)
    text_value = models.TextField(blank=True)
    choice_values = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question_key"], name="answer_unique_per_question"),
        ]
        indexes = [models.Index(fields=["question_type"], name="answer_type")]

    def __str__(self) -> str:
        return f"{self.question_key}={self.value}"

    @property
    def value(self) -> float | str | list[str] | None:
        if self.choice_values is not None:
            return self.choice_values
        if self.number_value is not None:
            return self.number_value
        return self.text_value or None


class ClientKey(models.Model):
    """The ledger of idempotency keys: one row per (organisation, client_key), kept when its response is deleted.

    ``fingerprint`` is the SHA-256 of the submission's content (``heed.responses.fingerprint``): the same key
    with the same content is a replay (the stored response is returned), with other content a conflict (409),
    and a key whose response was deleted (``response`` is null) is a conflict too (ODK Central's rule for
    instance ids). The unique constraint decides races between concurrent submissions of one key."""

    # Found by (organisation, key) through client_key_ledger_unique, whose first column it is.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    key = models.CharField(max_length=100)
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64)
    response = models.OneToOneField(
        Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="client_key_entry"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="client_key_ledger_unique")]

    def __str__(self) -> str:
        return self.key


class ResponseReview(models.Model):
    """One change of a response's review state, never updated or deleted while its response exists: who
    (``actor``, with ``actor_name`` kept if the user goes), when, from which state to which, the comment, and for
    an edit (``to_state`` edited) the answers and headline scores as they were before it (``previous_answers``:
    ``{"answers": {question key: value}, "scores": {"nps_score": int | None, ...}}``), so no edit loses a
    version."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="reviews")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")  # fmt: skip
    actor_name = models.CharField(max_length=150)
    from_state = models.CharField(max_length=12, choices=ReviewState.choices)
    to_state = models.CharField(max_length=12, choices=ReviewState.choices)
    comment = models.TextField(blank=True)
    previous_answers = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Response {self.response_id}: {self.from_state} -> {self.to_state}"
