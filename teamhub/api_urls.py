"""/api/v1/: every app's API routes, in one router-free list."""

from django.urls import include, path

urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("teams.api.urls")),
    path("", include("customers.api.urls")),
    path("", include("work.api.urls")),
    path("", include("surveys.api.urls")),
    path("", include("inbound.api.urls")),
    path("", include("dashboards.api.urls")),
    path("", include("hub.api_urls")),
]
