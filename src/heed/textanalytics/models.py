"""Text analytics: versioned annotations of customer comments, the theme taxonomy, staff lists and
the organisation's own sentiment models."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ThemeDefinition(models.Model):
    """One theme of an organisation's taxonomy: keywords (word prefixes / phrases) per language."""

    class Source(models.TextChoices):
        DEFAULT = "default", _("Starting taxonomy")
        DISCOVERED = "discovered", _("Accepted from discovery")
        MANUAL = "manual", _("Added by an analyst")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="themes")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    names = models.JSONField(default=dict, help_text="language -> name")
    keywords = models.JSONField(default=dict, help_text="language -> list of keywords (word prefixes or phrases)")
    source = models.CharField(max_length=12, choices=Source.choices, default=Source.MANUAL)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="theme_key_unique_per_org")]

    def __str__(self) -> str:
        return self.name


class StaffMember(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="staff")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="staff")
    first_name = models.CharField(max_length=60)
    last_name = models.CharField(max_length=60, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    name_key = models.CharField(
        max_length=200, help_text="first and last name trimmed, casefolded, without accents (heed.core.names)"
    )

    class Meta:
        ordering = ["unit", "first_name"]
        constraints = [
            # Two members of one unit with the same name make every mention of them ambiguous.
            models.UniqueConstraint(fields=["unit", "name_key"], name="staff_name_unique_per_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class SentimentModelVersion(models.Model):
    """A sentiment model trained on the organisation's own scored feedback (weak labels)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    version = models.CharField(max_length=80)
    trained_at = models.DateTimeField(auto_now_add=True)
    examples = models.PositiveIntegerField()
    metrics = models.JSONField(default=dict, blank=True)
    blob = models.BinaryField()
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-trained_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "version"], name="sentiment_version_unique_per_org")
        ]

    def __str__(self) -> str:
        return self.version


class SentimentTrainingRun(models.Model):
    """Every retraining attempt, including those that kept the lexicon or had too few labelled comments,
    so the next attempt waits until enough new scored comments arrived."""

    class Outcome(models.TextChoices):
        ACTIVATED = "activated", _("New model in use")
        KEPT = "kept", _("Lexicon read the held-out comments better")
        TOO_FEW = "too_few", _("Too few labelled comments")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    scored_comments = models.PositiveIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    model = models.ForeignKey(SentimentModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.outcome}"


class TextItem(models.Model):
    """One piece of customer text that text analytics reads, whatever fed it.

    Survey answers feed items now (``source_ref`` ``"answer:<id>"``, ``answer`` set); complaints, call notes and
    social mentions will feed them later the same way (``source`` says which, ``source_ref`` points at the
    record in the app that owns it). Themes, sentiment, staff mentions and personal-data masking work on every
    kind: the annotation attaches to the item."""

    class Source(models.TextChoices):
        SURVEY_ANSWER = "survey_answer", _("Survey answers")
        COMPLAINT = "complaint", _("Complaints")
        CALL_NOTE = "call_note", _("Call notes")
        SOCIAL_MENTION = "social_mention", _("Social mentions")

    # no index of its own: the unique (organisation, source, source_ref) leads with it (and serves by-source reads)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+",
                                     db_index=False)  # fmt: skip
    unit = models.ForeignKey("accounts.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=20, choices=Source.choices)
    source_ref = models.CharField(max_length=80, help_text="the record in the owning app, e.g. 'answer:42'")
    answer = models.OneToOneField(
        "responses.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="text_item"
    )
    language = models.CharField(max_length=8, blank=True, help_text="the language it was written in, if known")
    text = models.TextField()
    created_at = models.DateTimeField(help_text="when the text was written (a response's submission time)")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "source", "source_ref"], name="text_item_unique_ref")
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_ref}"


class TextAnnotation(models.Model):
    """What the pipeline read in one text item (an open-text answer today), with the versions of the models
    that read it.

    Re-running with the same versions changes nothing; a new model version replaces the row."""

    class Sentiment(models.TextChoices):
        NEGATIVE = "negative", _("Negative")
        NEUTRAL = "neutral", _("Neutral")
        POSITIVE = "positive", _("Positive")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    item = models.OneToOneField(TextItem, null=True, on_delete=models.CASCADE, related_name="annotation")
    # The survey answer read, for text items fed by survey answers (kept so response filters join directly).
    answer = models.OneToOneField(
        "responses.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="annotation"
    )
    language = models.CharField(max_length=8, help_text="detected language, or 'unknown'")
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices)
    sentiment_score = models.FloatField(help_text="-1 (negative) .. 1 (positive)")
    redacted_text = models.TextField(help_text="the text with personal data masked")
    pii_found = models.PositiveSmallIntegerField(default=0)
    model_version = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "sentiment"], name="annotation_org_sentiment"),
            models.Index(fields=["model_version"], name="annotation_version"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.sentiment}"


class AnnotationTheme(models.Model):
    """A theme found in an annotated comment (a row each, so theme counts aggregate in the database)."""

    annotation = models.ForeignKey(TextAnnotation, on_delete=models.CASCADE, related_name="themes")
    key = models.SlugField(max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["annotation", "key"], name="theme_once_per_annotation")]
        indexes = [models.Index(fields=["key"], name="annotation_theme_key")]

    def __str__(self) -> str:
        return self.key


class StaffMention(models.Model):
    annotation = models.ForeignKey(TextAnnotation, on_delete=models.CASCADE, related_name="staff_mentions")
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="mentions")
    sentiment = models.CharField(max_length=8, choices=TextAnnotation.Sentiment.choices)
    sentiment_score = models.FloatField()
    ambiguous = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.staff} ({self.sentiment})"
