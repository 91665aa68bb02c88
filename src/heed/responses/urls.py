"""Pages of responses: the respondent flow behind a shared link (/s/) or a personal invitation (/i/)."""

from django.urls import re_path

from heed.responses import views

urlpatterns = [
    re_path(r"^(?P<kind>[si])/(?P<token>[\w-]{8,64})/$", views.respond, name="respond"),
    re_path(r"^(?P<kind>[si])/(?P<token>[\w-]{8,64})/thanks/$", views.thanks, name="respond-thanks"),
]
