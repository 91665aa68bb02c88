"""Pages of text analytics: the theme taxonomy (designers) and the comment list (results viewers)."""

from django.urls import path

from heed.textanalytics import comment_views, theme_views

urlpatterns = [
    path("comments/", comment_views.comments, name="comments"),
    path("themes/", theme_views.themes, name="themes"),
    path("themes/progress/", theme_views.theme_progress, name="theme-progress"),
    path("themes/<slug:key>/toggle/", theme_views.theme_toggle, name="theme-toggle"),
]
