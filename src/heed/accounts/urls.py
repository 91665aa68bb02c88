"""Pages of accounts: the organisation's users, units and staff lists (admins), each user's API tokens and own
settings (the interface language)."""

from django.urls import path

from heed.accounts import profile_views
from heed.accounts.views import staff, tokens, units, users

urlpatterns = [
    path("organisation/", users.users, name="org-users"),
    path("organisation/users/<dbid:user_id>/", users.user_edit, name="org-user"),
    path("organisation/users/<dbid:user_id>/active/", users.user_active, name="org-user-active"),
    path("organisation/users/<dbid:user_id>/unlock/", users.user_unlock, name="org-user-unlock"),
    path("organisation/units/", units.units, name="org-units"),
    path("organisation/units/<dbid:unit_id>/", units.unit_edit, name="org-unit"),
    path("organisation/units/<dbid:unit_id>/closed/", units.unit_closed, name="org-unit-closed"),
    path("organisation/staff/", staff.staff, name="org-staff"),
    path("organisation/staff/<dbid:staff_id>/", staff.staff_edit, name="org-staff-member"),
    path("organisation/staff/<dbid:staff_id>/active/", staff.staff_active, name="org-staff-active"),
    path("account/tokens/", tokens.tokens, name="tokens"),
    path("account/tokens/<dbid:token_id>/revoke/", tokens.token_revoke, name="token-revoke"),
    path("account/settings/", profile_views.profile, name="profile"),
]
