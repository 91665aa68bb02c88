from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from heed.accounts import profile_views
from heed.api.api import api
from heed.web import (
    audit_views,
    comment_views,
    dashboard_views,
    driver_views,
    org_staff_views,
    org_unit_views,
    org_user_views,
    respond,
    survey_views,
    theme_views,
    token_views,
    weighting_views,
)

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="heed/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "account/set-password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="heed/set_password.html", success_url="/account/set-password/done/"
        ),
        name="set-password",
    ),
    path(
        "account/set-password/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="heed/set_password_done.html"),
        name="set-password-done",
    ),
    path("organisation/", org_user_views.users, name="org-users"),
    path("organisation/users/<int:user_id>/", org_user_views.user_edit, name="org-user"),
    path("organisation/users/<int:user_id>/active/", org_user_views.user_active, name="org-user-active"),
    path("organisation/users/<int:user_id>/unlock/", org_user_views.user_unlock, name="org-user-unlock"),
    path("organisation/units/", org_unit_views.units, name="org-units"),
    path("organisation/units/<int:unit_id>/", org_unit_views.unit_edit, name="org-unit"),
    path("organisation/units/<int:unit_id>/closed/", org_unit_views.unit_closed, name="org-unit-closed"),
    path("organisation/staff/", org_staff_views.staff, name="org-staff"),
    path("organisation/staff/<int:staff_id>/", org_staff_views.staff_edit, name="org-staff-member"),
    path("organisation/staff/<int:staff_id>/active/", org_staff_views.staff_active, name="org-staff-active"),
    path("organisation/audit/", audit_views.audit_log, name="org-audit"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("comments/", comment_views.comments, name="comments"),
    path("surveys/", survey_views.surveys, name="surveys"),
    path("surveys/new/", survey_views.survey_new, name="survey-new"),
    path("surveys/<int:survey_id>/edit/", survey_views.survey_edit, name="survey-edit"),
    path("surveys/<int:survey_id>/settings/", survey_views.survey_settings, name="survey-settings"),
    path("surveys/<int:survey_id>/questions/<int:question_id>/", survey_views.question_action, name="question-action"),
    path("surveys/<int:survey_id>/publish/", survey_views.survey_publish_view, name="survey-publish"),
    path(
        "surveys/<int:survey_id>/versions/<int:number>/metrics/", survey_views.version_metrics, name="version-metrics"
    ),
    path("surveys/<int:survey_id>/preview/", survey_views.survey_preview, name="survey-preview"),
    path("surveys/<int:survey_id>/links/", survey_views.survey_links, name="survey-links"),
    path("surveys/<int:survey_id>/drivers/", driver_views.survey_drivers, name="survey-drivers"),
    path("surveys/<int:survey_id>/weighting/", weighting_views.survey_weighting, name="survey-weighting"),
    path("weighting/<int:scheme_id>/recompute/", weighting_views.weighting_recompute, name="weighting-recompute"),
    path("weighting/<int:scheme_id>/delete/", weighting_views.weighting_delete, name="weighting-delete"),
    path("account/settings/", profile_views.profile, name="profile"),
    path("account/tokens/", token_views.tokens, name="tokens"),
    path("account/tokens/<int:token_id>/revoke/", token_views.token_revoke, name="token-revoke"),
    path("themes/", theme_views.themes, name="themes"),
    path("themes/progress/", theme_views.theme_progress, name="theme-progress"),
    path("themes/<slug:key>/toggle/", theme_views.theme_toggle, name="theme-toggle"),
    re_path(r"^links/(?P<link_id>[0-9]+)/qr\.(?P<fmt>png|svg)$", survey_views.link_qr, name="link-qr"),
    re_path(r"^(?P<kind>[si])/(?P<token>[\w-]{8,64})/$", respond.respond, name="respond"),
    re_path(r"^(?P<kind>[si])/(?P<token>[\w-]{8,64})/thanks/$", respond.thanks, name="respond-thanks"),
    path("api/", api.urls),
]
