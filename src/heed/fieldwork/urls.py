"""Pages of fieldwork: the supervisor's assignments and quotas, the interviewer's own assignments."""

from django.urls import path

from heed.fieldwork import views

urlpatterns = [
    path("fieldwork/", views.supervision, name="fieldwork-supervision"),
    path(
        "fieldwork/assignments/<int:assignment_id>/reassign/", views.assignment_reassign_page, name="fieldwork-reassign"
    ),  # fmt: skip
    path("fieldwork/mine/", views.my_assignments, name="fieldwork-mine"),
    path("fieldwork/interviewers/<int:user_id>/", views.interviewer_page, name="fieldwork-interviewer"),
    path("fieldwork/interviews/<int:response_id>/", views.interview_page, name="fieldwork-interview"),
    path("fieldwork/sites/", views.sites_page, name="fieldwork-sites"),
]
