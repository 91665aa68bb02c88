"""Pages of distribution: a survey's links and their QR codes."""

from django.urls import path, re_path

from heed.distribution import views

urlpatterns = [
    path("contacts/", views.contacts, name="contacts"),
    path("surveys/<dbid:survey_id>/links/", views.survey_links, name="survey-links"),
    re_path(r"^links/(?P<link_id>[0-9]+)/qr\.(?P<fmt>png|svg)$", views.link_qr, name="link-qr"),
]
