"""Pages of responses: the respondent flow behind a shared link (/s/) or a personal invitation (/i/), and the staff
page of one response (review and edit)."""

from django.urls import path, re_path

from heed.responses import review_views, views

urlpatterns = [
    re_path(r"^(?P<kind>[si])/(?P<token>[\w-]{8,64})/$", views.respond, name="respond"),
    re_path(r"^(?P<kind>[si])/(?P<token>[\w-]{8,64})/thanks/$", views.thanks, name="respond-thanks"),
    path("responses/<dbid:response_id>/", review_views.response_detail, name="response-detail"),
]
