"""API routes of the dashboards: each returns what its page shows and nothing more."""

from django.urls import path

from dashboards.api import accounts as account_api
from dashboards.api import brief as brief_api
from dashboards.api import digest as digest_api
from dashboards.api import focus as focus_api
from dashboards.api import manager as manager_api
from dashboards.api import organization as organization_api
from dashboards.api import silos as silo_api

org = "orgs/<slug:org_slug>/"

# One block per endpoint; views live in dashboards/api/<page>.py.
urlpatterns: list = [
    # Manager dashboard (point 1): what its page shows.
    path(f"{org}dashboard/", manager_api.ManagerDashboardViewSet.as_view({"get": "retrieve"}), name="api-dashboard"),
    # Account health and accounts at risk (point 5).
    path(
        f"{org}accounts/<int:pk>/health/",
        account_api.AccountHealthViewSet.as_view({"get": "health"}),
        name="api-account-health",
    ),
    path(f"{org}accounts-at-risk/", account_api.AtRiskViewSet.as_view({"get": "list"}), name="api-accounts-at-risk"),
    # Meeting brief (point 6): what the page and its PDF show.
    path(f"{org}brief/", brief_api.BriefViewSet.as_view({"get": "retrieve"}), name="api-brief"),
    # Weekly digest (point 7): the caller's own preference.
    path(
        f"{org}digest/",
        digest_api.DigestViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-digest",
    ),
    # Focus areas and action plans (point 4).
    path(f"{org}focus-areas/", focus_api.FocusAreasViewSet.as_view({"get": "retrieve"}), name="api-focus-areas"),
    path(f"{org}action-plans/", focus_api.ActionPlanViewSet.as_view({"post": "create"}), name="api-action-plans"),
    path(
        f"{org}action-plans/<int:pk>/",
        focus_api.ActionPlanViewSet.as_view({"get": "retrieve"}),
        name="api-action-plan",
    ),
    # Silo map (point 3): the map, and one pair's handoffs and shared wins.
    path(f"{org}silo-map/", silo_api.SiloMapViewSet.as_view({"get": "retrieve"}), name="api-silo-map"),
    path(
        f"{org}silo-map/pairs/<int:team_a>/<int:team_b>/",
        silo_api.SiloMapViewSet.as_view({"get": "pair"}),
        name="api-silo-map-pair",
    ),
    # Organisation view for admins (point 2): what its page shows.
    path(
        f"{org}organization-dashboard/",
        organization_api.OrgViewViewSet.as_view({"get": "retrieve"}),
        name="api-organization-dashboard",
    ),
]
