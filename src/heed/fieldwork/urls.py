"""Pages of fieldwork: the supervisor's assignments and quotas, the interviewer's own assignments and the offline
interviewer app (``/fieldwork/app/``: shell, manifest, service worker, session probe)."""

from django.urls import path

from heed.fieldwork import pwa_views, views

urlpatterns = [
    path("fieldwork/", views.supervision, name="fieldwork-supervision"),
    path(
        "fieldwork/assignments/<dbid:assignment_id>/reassign/",
        views.assignment_reassign_page,
        name="fieldwork-reassign",
    ),
    path("fieldwork/mine/", views.my_assignments, name="fieldwork-mine"),
    path("fieldwork/interviewers/<dbid:user_id>/", views.interviewer_page, name="fieldwork-interviewer"),
    path("fieldwork/interviews/<dbid:response_id>/", views.interview_page, name="fieldwork-interview"),
    path("fieldwork/sites/", views.sites_page, name="fieldwork-sites"),
    path("fieldwork/app/", pwa_views.app_shell, name="fieldwork-app"),
    path("fieldwork/app/manifest.webmanifest", pwa_views.app_manifest, name="fieldwork-app-manifest"),
    path("fieldwork/app/sw.js", pwa_views.service_worker, name="fieldwork-app-worker"),
    path("fieldwork/app/session.json", pwa_views.session_probe, name="fieldwork-app-session"),
]
