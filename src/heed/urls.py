from django.contrib import admin
from django.urls import include, path

from heed.core.health import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("", include("heed.web.urls")),
]

handler403 = "heed.web.error_views.permission_denied"
handler404 = "heed.web.error_views.page_not_found"
