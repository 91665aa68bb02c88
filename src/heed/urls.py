from django.contrib import admin
from django.urls import include, path

from heed.api.api import api
from heed.core.health import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    # the NinjaAPI, which mounts each app's router: first of the prefixes, so that an API request (a device's sync,
    # every single submission) is not first tried against the page patterns of every app (a dozen resolvers each)
    path("api/", api.urls),
    path("", include("heed.analytics.urls")),
    path("", include("heed.web.urls")),
    # each domain app's pages (vertical slices); the paths are the same as before the move
    path("", include("heed.accounts.urls")),
    path("", include("heed.governance.urls")),
    path("", include("heed.surveys.urls")),
    path("", include("heed.distribution.urls")),
    path("", include("heed.responses.urls")),
    path("", include("heed.textanalytics.urls")),  # text analytics' pages (its vertical slice)
    path("", include("heed.fieldwork.urls")),  # fieldwork's pages: supervision, assignments
    path("", include("heed.cati.urls")),  # phone interviewing: call lists, the call screen
]

handler403 = "heed.web.error_views.permission_denied"
handler404 = "heed.web.error_views.page_not_found"
