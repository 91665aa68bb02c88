from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from heed.accounts.models import ApiToken, Organisation, Unit, User


@admin.register(User)
class HeedUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Heed", {"fields": ("organisation", "role", "units", "language")}))
    list_display = ("username", "email", "organisation", "role", "is_active")
    list_filter = ("role", "organisation")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "default_language")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "country", "organisation")
    list_filter = ("kind", "country", "organisation")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("key_hash", "prefix")
