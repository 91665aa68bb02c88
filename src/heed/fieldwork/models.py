"""Fieldwork: the interviewers' devices, their assignments (survey x unit x interviewer) and quotas.

Responses themselves live in ``heed.responses`` (one ingestion path); fieldwork keeps what the devices report,
who is to interview where, and which responses each quota counted (``QuotaMembership``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Device(models.Model):
    """A tablet or phone running the interviewer app, known by the UUID it made for itself (``device_id``).

    Each sync records the time, the app version and what the device says it still holds unsent."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    device_id = models.UUIDField()
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    app_version = models.CharField(max_length=40, blank=True)
    first_sync_at = models.DateTimeField()
    last_sync_at = models.DateTimeField()
    unsent_count = models.PositiveIntegerField(default=0, help_text="interviews the device reported as unsent")
    oldest_unsent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "device_id"], name="fieldwork_device_unique"),
        ]

    def __str__(self) -> str:
        return str(self.device_id)


class Assignment(models.Model):
    """Survey x unit x interviewer, with an optional shift window and target quantity (Survey Solutions'
    assignment with a *quantity*). Reassigning part of the quantity lowers it here and creates an assignment
    for the other interviewer (``reassigned_from``)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    quantity = models.PositiveIntegerField(null=True, blank=True, help_text="target number of interviews")
    reassigned_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reassigned_to"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["survey_id", "unit_id", "id"]
        indexes = [models.Index(fields=["interviewer", "survey"], name="fieldwork_assign_who")]

    def __str__(self) -> str:
        return f"Assignment {self.pk}: survey {self.survey_id} at unit {self.unit_id}"


class Quota(models.Model):
    """A target number of responses matching all ``conditions`` (question key -> accepted values) and, when
    set, one unit. Responses beyond the target are stored and marked ``screened_out_over_quota``."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    unit = models.ForeignKey("accounts.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    conditions = models.JSONField(default=dict, blank=True, help_text="question key -> list of accepted values")
    target = models.PositiveIntegerField()
    count_partials = models.BooleanField(default=False)
    # The responses filling it: its counted memberships of responses not rejected in review. Kept by the quota count
    # at submit (under the quota's row lock) and recounted when a review or a deletion changes what counts
    # (``heed.fieldwork.quota_counting``), so a submission reads one number instead of counting every member.
    filled = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["survey_id", "name", "id"]

    def __str__(self) -> str:
        return self.name


class QuotaMembership(models.Model):
    """One response matching one quota (Formbricks' ResponseQuotaLink): screened in (counted when complete,
    or partial with ``count_partials``) or screened out because the quota was full when it arrived."""

    class Status(models.TextChoices):
        SCREENED_IN = "screened_in", _("Screened in")
        OVER_QUOTA = "screened_out_over_quota", _("Over quota")

    # no single-column indexes: the unique (quota, response) and fieldwork_member_response cover both
    quota = models.ForeignKey(Quota, on_delete=models.CASCADE, related_name="memberships", db_index=False)
    response = models.ForeignKey("responses.Response", on_delete=models.CASCADE, related_name="+", db_index=False)
    status = models.CharField(max_length=30, choices=Status.choices)
    counted = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quota", "response"], name="fieldwork_quota_member_unique"),
        ]
        indexes = [models.Index(fields=["response"], name="fieldwork_member_response")]

    def __str__(self) -> str:
        return f"{self.response_id} {self.status} in quota {self.quota_id}"


class Site(models.Model):
    """Where a unit (a store) is and when it is open, for the GPS and opening-hours flags (contract 5).

    ``latitude``/``longitude`` in WGS84 decimal degrees and ``radius_m`` in metres (all three set, or none: no
    GPS check); ``time_zone`` an IANA name; ``opening_hours`` in ``heed.fieldwork_rules.hours.WeeklyHours.parse``
    format (``{"mon-fri": "09:00-20:30", "sat": ["10:00-14:00"]}``; empty: no opening-hours check)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    unit = models.OneToOneField("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    radius_m = models.FloatField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    opening_hours = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Set by ``site_set`` in its transaction, cleared when the flags of the unit's interviews were recomputed
    # against this version of the site (``site_flags_recompute``); a mark left by a lost task is found again by
    # ``site_flags_reconcile``.
    flags_stale_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Site of unit {self.unit_id}"


class SurveyFlagsStale(models.Model):
    """A survey whose flags are to be recomputed in the background (the supervision page's "Recompute flags"):
    written by ``survey_flags_recompute_request`` in the request's transaction, deleted by
    ``survey_flags_recompute_marked`` once the flags were recomputed after ``since`` (only if ``since`` is
    unchanged: a later request keeps its mark); a mark whose task was lost is found by ``survey_flags_reconcile``.
    While it exists the page says the flags are being recomputed."""

    survey = models.OneToOneField("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Flags of survey {self.survey_id} stale since {self.since:%Y-%m-%d %H:%M:%S}"


class InterviewRecord(models.Model):
    """What the device reported about one interview beside its answers (contract 1): who took it on which
    device, its device times (``started_at``/``ended_at`` as the device's clock said, ``received_at`` the
    server's), its location, its ODK audit events and the seconds spent per question derived from them.

    Written in the transaction that stores the response (an ``in_transaction`` handler), so it exists
    exactly when the response does; deleted with it. Written ``flags_pending``: its data-quality flags are
    computed in the background (``heed.fieldwork.flagging.pending_flags_check``), never in the device's sync."""

    class LocationStatus(models.TextChoices):
        OK = "ok", _("Located")
        DENIED = "denied", _("Permission denied")
        UNAVAILABLE = "unavailable", _("Unavailable")
        MISSING = "missing", _("Not sent")

    response = models.OneToOneField("responses.Response", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    # survey and interviewer without an index of their own: fieldwork_record_version and _who_when lead with them
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+", db_index=False)
    version = models.ForeignKey("surveys.SurveyVersion", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("accounts.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                    db_index=False)  # fmt: skip
    device_id = models.UUIDField(null=True, blank=True, help_text="the device's own UUID (Device.device_id)")
    complete = models.BooleanField(default=True)  # the device's word: false for an interview broken off
    screened_out = models.BooleanField(default=False, help_text="ended by a screening question: not eligible")
    started_at = models.DateTimeField(null=True, blank=True, help_text="device clock")
    ended_at = models.DateTimeField(help_text="device clock (the server's receive time when not sent)")
    received_at = models.DateTimeField()
    duration_seconds = models.FloatField(null=True, blank=True)
    location_status = models.CharField(max_length=12, choices=LocationStatus.choices, default=LocationStatus.MISSING)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    accuracy_m = models.FloatField(null=True, blank=True)
    question_seconds = models.JSONField(default=dict, blank=True, help_text="question key -> seconds on screen")
    audit = models.JSONField(default=list, blank=True, help_text="ODK audit events as the device sent them")
    speeding_status = models.CharField(
        max_length=20,
        blank=True,
        help_text="ok, speeding or insufficient_data; empty when not checked: no duration, broken off, screened out",
    )
    flags_pending = models.BooleanField(default=False, help_text="stored, its flags not computed yet")

    class Meta:
        indexes = [
            models.Index(fields=["survey", "version"], name="fieldwork_record_version"),
            models.Index(
                fields=["survey", "received_at"],
                condition=models.Q(flags_pending=True),
                name="fieldwork_record_pending",
            ),  # fmt: skip
            models.Index(fields=["interviewer", "started_at"], name="fieldwork_record_who_when"),
        ]

    def __str__(self) -> str:
        return f"Interview record of response {self.response_id}"


class Flag(models.Model):
    """A data-quality flag on one response (contract 6; codes of ``heed.fieldwork_rules.flags.FlagCode``):
    never deletes, rejects or hides the response; ``detail`` says why (seconds, metres, the other response)."""

    response = models.ForeignKey("responses.Response", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=30)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["response_id", "code", "id"]
        indexes = [
            models.Index(fields=["survey", "code"], name="fieldwork_flag_survey_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} on response {self.response_id}"
