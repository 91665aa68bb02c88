"""Pages of phone interviewing: call lists, a list with its rates, the operator's call screen."""

from django.urls import path

from heed.cati import views

urlpatterns = [
    path("calls/", views.call_lists, name="cati-lists"),
    path("calls/lists/<dbid:list_id>/", views.call_list_detail, name="cati-list"),
    path("calls/next/", views.next_call, name="cati-next"),
]
