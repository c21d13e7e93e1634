"""API routes for CSV imports."""

from django.urls import path

from customers.api.imports import ImportViewSet

org = "orgs/<slug:org_slug>/"

urlpatterns = [
    path(f"{org}imports/", ImportViewSet.as_view({"get": "list", "post": "create"}), name="api-imports"),
    path(f"{org}imports/<int:pk>/", ImportViewSet.as_view({"get": "retrieve"}), name="api-import"),
    path(f"{org}imports/<int:pk>/start/", ImportViewSet.as_view({"post": "start"}), name="api-import-start"),
]
