"""Pages of surveys: list, new, XLSForm import and download, builder, settings, questions, publish, metric mapping
of versions, preview."""

from django.urls import path

from heed.surveys import views

urlpatterns = [
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/new/", views.survey_new, name="survey-new"),
    path("surveys/import/", views.survey_import, name="survey-import"),
    path("surveys/<dbid:survey_id>/xlsform/", views.survey_xlsform_download, name="survey-xlsform"),
    path("surveys/<dbid:survey_id>/edit/", views.survey_edit, name="survey-edit"),
    path("surveys/<dbid:survey_id>/settings/", views.survey_settings, name="survey-settings"),
    path("surveys/<dbid:survey_id>/questions/<dbid:question_id>/", views.question_action, name="question-action"),
    path("surveys/<dbid:survey_id>/publish/", views.survey_publish_view, name="survey-publish"),
    path("surveys/<dbid:survey_id>/versions/<dbid:number>/metrics/", views.version_metrics, name="version-metrics"),
    path("surveys/<dbid:survey_id>/preview/", views.survey_preview, name="survey-preview"),
]
