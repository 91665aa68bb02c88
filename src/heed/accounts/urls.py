"""Pages of accounts: the organisation's users, units and staff lists (admins), and each user's API tokens."""

from django.urls import path

from heed.accounts import staff_views, token_views, unit_views, user_views

urlpatterns = [
    path("organisation/", user_views.users, name="org-users"),
    path("organisation/users/<int:user_id>/", user_views.user_edit, name="org-user"),
    path("organisation/users/<int:user_id>/active/", user_views.user_active, name="org-user-active"),
    path("organisation/users/<int:user_id>/unlock/", user_views.user_unlock, name="org-user-unlock"),
    path("organisation/units/", unit_views.units, name="org-units"),
    path("organisation/units/<int:unit_id>/", unit_views.unit_edit, name="org-unit"),
    path("organisation/units/<int:unit_id>/closed/", unit_views.unit_closed, name="org-unit-closed"),
    path("organisation/staff/", staff_views.staff, name="org-staff"),
    path("organisation/staff/<int:staff_id>/", staff_views.staff_edit, name="org-staff-member"),
    path("organisation/staff/<int:staff_id>/active/", staff_views.staff_active, name="org-staff-active"),
    path("account/tokens/", token_views.tokens, name="tokens"),
    path("account/tokens/<int:token_id>/revoke/", token_views.token_revoke, name="token-revoke"),
]
