"""Organisations, their units (region > store / department), users with roles, API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    brand = models.CharField(max_length=120, help_text="Name shown to respondents, e.g. in {brand}.")
    default_language = models.CharField(max_length=8, default="en")
    languages = models.JSONField(default=list, help_text="Language codes the organisation works in.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        STORE = "store", _("Store")
        DEPARTMENT = "department", _("Department")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=40)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    language = models.CharField(max_length=8, blank=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="A closed unit keeps its history but takes no new responses or links."
    )

    class Meta:
        constraints = [
            # HR-03 and hr-03 are the same code to people: unique per organisation whatever the case.
            models.UniqueConstraint("organisation", Lower("code"), name="unit_code_unique_per_org_ci"),
        ]
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    ANALYST = "analyst", _("Analyst")
    UNIT_MANAGER = "unit_manager", _("Unit manager")
    INTERVIEWER = "interviewer", _("Interviewer")
    AGENT = "agent", _("Support agent")


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="users"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ANALYST)
    units = models.ManyToManyField(
        Unit, blank=True, related_name="members", help_text="Units this user works in; scopes unit managers."
    )
    language = models.CharField(
        max_length=8, blank=True, default="en", help_text="Language of the staff interface; empty follows the browser."
    )

    class Meta(AbstractUser.Meta):
        constraints = [
            # Anna and anna would be two accounts people cannot tell apart: unique whatever the case.
            models.UniqueConstraint(Lower("username"), name="username_unique_ci"),
        ]


class ApiToken(models.Model):
    """A bearer token acting as its user, with the same scope. Only a hash of the key is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Two live tokens of one user under one name cannot be told apart when one must be revoked.
            models.UniqueConstraint(
                "user", Lower("name"), condition=models.Q(revoked_at__isnull=True), name="token_name_unique_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
