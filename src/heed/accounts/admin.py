"""Operator's read-only view of accounts. Users, units and staff are managed in Heed's Organisation pages
(through the services, recorded in the audit log); tokens are created and revoked on the Tokens page."""

from django.contrib import admin
from django.contrib.auth.models import Group

from heed.accounts.models import ApiToken, Organisation, Unit, User
from heed.core.admin import ReadOnlyAdmin

# Heed's permissions come from roles, not groups: the Group admin would be a write path that means nothing.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(User)
class HeedUserAdmin(ReadOnlyAdmin):
    list_display = ("username", "email", "organisation", "role", "is_active", "is_superuser")
    list_filter = ("role", "organisation", "is_active")
    search_fields = ("username", "email")
    exclude = ("password",)


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "default_language")


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "parent", "country", "organisation", "closed_at")
    list_filter = ("kind", "country", "organisation")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)
