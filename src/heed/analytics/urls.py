"""The analytics pages: results dashboard, key drivers and weighting schemes (paths as before the move)."""

from django.urls import path

from heed.analytics import dashboard_views, driver_views, weighting_views

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("surveys/<dbid:survey_id>/drivers/", driver_views.survey_drivers, name="survey-drivers"),
    path("surveys/<dbid:survey_id>/weighting/", weighting_views.survey_weighting, name="survey-weighting"),
    path("weighting/<dbid:scheme_id>/recompute/", weighting_views.weighting_recompute, name="weighting-recompute"),
    path("weighting/<dbid:scheme_id>/delete/", weighting_views.weighting_delete, name="weighting-delete"),
]
