from django.contrib.auth import views as auth_views
from django.urls import path, re_path

from heed.api.api import api
from heed.web import dashboard_views, driver_views, respond, survey_views, theme_views, token_views, weighting_views

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="heed/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("surveys/", survey_views.surveys, name="surveys"),
    path("surveys/new/", survey_views.survey_new, name="survey-new"),
    path("surveys/<int:survey_id>/edit/", survey_views.survey_edit, name="survey-edit"),
    path("surveys/<int:survey_id>/settings/", survey_views.survey_settings, name="survey-settings"),
    path("surveys/<int:survey_id>/questions/<int:question_id>/", survey_views.question_action, name="question-action"),
    path("surveys/<int:survey_id>/publish/", survey_views.survey_publish_view, name="survey-publish"),
    path("surveys/<int:survey_id>/preview/", survey_views.survey_preview, name="survey-preview"),
    path("surveys/<int:survey_id>/links/", survey_views.survey_links, name="survey-links"),
    path("surveys/<int:survey_id>/drivers/", driver_views.survey_drivers, name="survey-drivers"),
    path("surveys/<int:survey_id>/weighting/", weighting_views.survey_weighting, name="survey-weighting"),
    path("weighting/<int:scheme_id>/recompute/", weighting_views.weighting_recompute, name="weighting-recompute"),
    path("account/tokens/", token_views.tokens, name="tokens"),
    path("account/tokens/<int:token_id>/revoke/", token_views.token_revoke, name="token-revoke"),
    path("themes/", theme_views.themes, name="themes"),
    path("themes/progress/", theme_views.theme_progress, name="theme-progress"),
    path("themes/<slug:key>/toggle/", theme_views.theme_toggle, name="theme-toggle"),
    path("links/<int:link_id>/qr.<str:fmt>", survey_views.link_qr, name="link-qr"),
    re_path(r"^(?P<kind>[si])/(?P<token>[\w-]{8,64})/$", respond.respond, name="respond"),
    re_path(r"^(?P<kind>[si])/(?P<token>[\w-]{8,64})/thanks/$", respond.thanks, name="respond-thanks"),
    path("api/", api.urls),
]
