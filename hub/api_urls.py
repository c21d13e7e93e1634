"""API routes of the pages that join every app."""

from django.urls import path

from hub import api

urlpatterns = [
    path("orgs/<slug:org_slug>/home/", api.HomeViewSet.as_view({"get": "retrieve"}), name="api-home"),
]
