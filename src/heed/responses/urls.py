"""Pages of responses: the respondent flow behind a shared link (/s/) or a personal invitation (/i/)."""

from django.urls import re_path

from heed.responses import respond_views

urlpatterns = [
    re_path(r"^(?P<kind>[si])/(?P<token>[\w-]{8,64})/$", respond_views.respond, name="respond"),
    re_path(r"^(?P<kind>[si])/(?P<token>[\w-]{8,64})/thanks/$", respond_views.thanks, name="respond-thanks"),
]
