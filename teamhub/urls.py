from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from teamhub.health import healthz

urlpatterns = [
    path("", include("hub.urls")),
    path("", include("accounts.urls")),
    path("", include("notifications.urls")),
    path("", include("teams.urls")),
    path("", include("customers.urls")),
    path("", include("work.urls")),
    path("", include("surveys.urls")),
    path("", include("inbound.urls")),
    path("", include("dashboards.urls")),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("teamhub.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file, so CSP needs no inline
    # script; its page and the UI itself set inline styles, allowed on this page only.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("django-admin/", admin.site.urls),
]

handler400 = "teamhub.lib.api.errors.bad_request"
handler404 = "teamhub.lib.api.errors.not_found"
