"""API routes for feedback from other tools."""

from django.urls import path

from inbound.api import views

org = "orgs/<slug:org_slug>/"

urlpatterns = [
    path(
        f"{org}nps-feedback/bulk/", views.BulkFeedbackViewSet.as_view({"post": "create"}), name="api-nps-feedback-bulk"
    ),
    path(
        f"{org}feedback-webhooks/",
        views.SourceViewSet.as_view({"get": "list", "post": "create"}),
        name="api-feedback-webhooks",
    ),
    path(
        f"{org}feedback-webhooks/<int:pk>/",
        views.SourceViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="api-feedback-webhook",
    ),
    path(
        f"{org}feedback-webhooks/<int:pk>/rotate/",
        views.SourceViewSet.as_view({"post": "rotate"}),
        name="api-feedback-webhook-rotate",
    ),
    path(f"{org}unmatched-feedback/", views.UnmatchedViewSet.as_view({"get": "list"}), name="api-unmatched-feedback"),
    path(
        f"{org}unmatched-feedback/<int:pk>/assign/",
        views.UnmatchedViewSet.as_view({"post": "assign"}),
        name="api-unmatched-feedback-assign",
    ),
    path(
        f"{org}unmatched-feedback/<int:pk>/dismiss/",
        views.UnmatchedViewSet.as_view({"post": "dismiss"}),
        name="api-unmatched-feedback-dismiss",
    ),
    path(
        f"{org}nps-imports/",
        views.HistoryImportViewSet.as_view({"get": "list", "post": "create"}),
        name="api-nps-imports",
    ),
    path(f"{org}nps-imports/<int:pk>/", views.HistoryImportViewSet.as_view({"get": "retrieve"}), name="api-nps-import"),
    path(
        f"{org}nps-imports/<int:pk>/start/",
        views.HistoryImportViewSet.as_view({"post": "start"}),
        name="api-nps-import-start",
    ),
]
