"""Pages of governance: the audit log (admins)."""

from django.urls import path

from heed.governance import views

urlpatterns = [
    path("organisation/audit/", views.audit_log, name="org-audit"),
]
