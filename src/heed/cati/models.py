"""Call lists, their cases (one person to call each) and the calls made on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CallList(models.Model):
    """People to call for one survey (and optionally one unit), with calling hours read in each person's zone.

    ``calling_hours``: ``{"mon-fri": "09:00-20:30", "sat": "10:00-14:00"}`` (``WeeklyHours.parse``);
    ``time_zone``: the IANA zone of a case that names none; ``link``: the survey's phone link the interviews
    are taken through (channel "phone", the list's unit). The link and the unit cannot be deleted from under a
    list (RESTRICT), but deleting the survey or the organisation deletes its lists with them."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("accounts.Unit", null=True, blank=True, on_delete=models.RESTRICT, related_name="+")
    link = models.ForeignKey("distribution.SurveyLink", on_delete=models.RESTRICT, related_name="+")
    name = models.CharField(max_length=120)
    time_zone = models.CharField(max_length=64)
    calling_hours = models.JSONField()
    max_attempts = models.PositiveSmallIntegerField(default=6)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class CallCase(models.Model):
    """One person of a call list and where their case stands.

    ``status``: open (to call, not before ``next_call_at``), appointment (not before ``next_call_at``, 5
    minutes before ``appointment_at``), interview (an operator is interviewing), final (``final_code`` is the
    AAPOR final disposition). ``held_by``: the operator the case was handed to by ``next_case``."""

    class Status(models.TextChoices):
        OPEN = "open", _("To call")
        APPOINTMENT = "appointment", _("Appointment")
        INTERVIEW = "interview", _("Being interviewed")
        FINAL = "final", _("Final")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    call_list = models.ForeignKey(CallList, on_delete=models.CASCADE, related_name="cases")
    name = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=20, help_text="E.164, e.g. +385912345678")
    time_zone = models.CharField(max_length=64)
    language = models.CharField(max_length=8, blank=True)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    attempts = models.PositiveSmallIntegerField(default=0)
    soft_refusals_returned = models.PositiveSmallIntegerField(default=0)
    next_call_at = models.DateTimeField(null=True, blank=True)
    appointment_at = models.DateTimeField(null=True, blank=True)
    appointment_operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_at = models.DateTimeField(null=True, blank=True)
    final_code = models.CharField(max_length=8, blank=True)
    interview_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    response = models.ForeignKey(
        "responses.Response", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["call_list", "phone"], name="cati_case_phone_unique_per_list"),
            models.CheckConstraint(condition=~Q(status="final") | ~Q(final_code=""), name="cati_final_case_has_code"),
        ]
        indexes = [models.Index(fields=["call_list", "status", "next_call_at"], name="cati_case_queue")]
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.phone


class CallAttempt(models.Model):
    """One call: who made it, its outcome (``heed.fieldwork_rules.cati.CallOutcome``), the AAPOR code of that
    outcome, the operator's note, and what was decided (``next_call_at``, an appointment, a final code)."""

    case = models.ForeignKey(CallCase, on_delete=models.CASCADE, related_name="calls")
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=40)
    aapor_code = models.CharField(max_length=8)
    note = models.TextField(blank=True)
    called_at = models.DateTimeField()
    next_call_at = models.DateTimeField(null=True, blank=True)
    appointment_at = models.DateTimeField(null=True, blank=True)
    final_code = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["called_at", "id"]

    def __str__(self) -> str:
        return f"{self.outcome} ({self.aapor_code})"
