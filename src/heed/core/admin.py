"""The Django admin: superusers only, read-only wherever a write would bypass a service.

Organisation admins manage users, units and staff lists in Heed's own pages (/organisation/), which
are scoped to their organisation and write through the services and the audit log. The Django admin
is the operator's window on the raw rows of every organisation, so it is for superusers alone, and
it offers no add/change/delete except where a service does the write (deleting a response)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class HeedAdminSite(admin.AdminSite):
    site_header = "Heed — operator's view"
    site_title = "Heed admin"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_superuser)


class HeedAdminConfig(AdminConfig):
    default_site = "heed.core.admin.HeedAdminSite"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shows rows; adds, changes and deletes nothing (the writes belong to services and Heed's pages)."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
