"""Daily rollups of the sufficient statistics behind NPS, CSAT and CES.

One row per (survey, day, unit, channel, language) holds counts and sums, so a dashboard sums a
few thousand rows instead of scanning millions of responses (the CountStat idea of Zulip's
analytics). Rows are recomputed per (survey, day) whenever a response of that day is added or
deleted, so they always equal a full recomputation.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class DailyRollup(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(help_text="local day (HEED_TIME_ZONE) of submitted_at")
    week = models.DateField(help_text="Monday of the day's ISO week")
    month = models.DateField(help_text="first day of the day's month")
    unit = models.ForeignKey("accounts.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=16)
    language = models.CharField(max_length=8)
    responses = models.IntegerField()
    nps_n = models.IntegerField()
    nps_pro = models.IntegerField()
    nps_det = models.IntegerField()
    csat_n = models.IntegerField()
    csat_top2 = models.IntegerField()
    csat_sum = models.BigIntegerField()
    csat_sq = models.BigIntegerField()
    ces_n = models.IntegerField()
    ces_sum = models.BigIntegerField()
    ces_sq = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "day"], name="rollup_org_day"),
            models.Index(fields=["survey", "day"], name="rollup_survey_day"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.day} {self.unit_id} {self.channel} {self.language}"


class RollupDirtyDay(models.Model):
    """A (survey, day) whose rollup rows must be recomputed. Several marks may exist for one day:
    a refresh deletes only the marks it read, so a response committed during a refresh is never lost."""

    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.survey_id} {self.day}"


class WeightingScheme(models.Model):
    """Population targets for one survey; raking turns them into one weight per response."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Being computed")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="weighting_schemes")
    name = models.CharField(max_length=120)
    targets = models.JSONField(help_text='{"age_group": {"18-24": 0.12, ...}, "gender": {...}}')
    trim_lower = models.FloatField(null=True, blank=True, help_text="smallest weight, as a multiple of the mean")
    trim_upper = models.FloatField(null=True, blank=True, help_text="largest weight, as a multiple of the mean")

    class Unmatched(models.TextChoices):
        KEEP = "keep", _("Keep them at their share of the sample")
        EXCLUDE = "exclude", _("Leave them out of weighted figures")

    unmatched = models.CharField(
        max_length=8, choices=Unmatched.choices, default=Unmatched.EXCLUDE,
        help_text="what raking does with respondents in a category without a target share (or no answer)",
    )  # fmt: skip
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    diagnostics = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)  # when the stored weights' computation began
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # The dashboard's weighting list names schemes: two of one name on a survey cannot be told apart.
            models.UniqueConstraint("survey", Lower("name"), name="weighting_scheme_name_unique_per_survey"),
        ]

    def __str__(self) -> str:
        return self.name


class WeightingStaleMark(models.Model):
    """A scheme whose weights are out of date: a response of its survey was rejected, approved again or edited
    (written in the review's transaction). Several marks may exist for one scheme: a computation deletes only the
    marks it read before reading the responses, so a review committed during a computation is never lost (as
    ``RollupDirtyDay``). A separate row, not a column of the scheme, so a review never waits for the scheme's row
    lock while a computation stores its weights."""

    scheme = models.ForeignKey(WeightingScheme, on_delete=models.CASCADE, related_name="stale_marks")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.scheme_id} since {self.created_at:%Y-%m-%d %H:%M}"


class ResponseWeight(models.Model):
    scheme = models.ForeignKey(WeightingScheme, on_delete=models.CASCADE, related_name="weights")
    response = models.ForeignKey("responses.Response", on_delete=models.CASCADE, related_name="weights")
    weight = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scheme", "response"], name="one_weight_per_response")]

    def __str__(self) -> str:
        return f"{self.response_id}: {self.weight:.3f}"
