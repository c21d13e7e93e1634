from django.urls import path

from accounts.api import views

org = "orgs/<slug:org_slug>/"

urlpatterns = [
    path("me/", views.MeViewSet.as_view({"get": "retrieve"}), name="api-me"),
    path("orgs/", views.MyOrganizationViewSet.as_view({"get": "list"}), name="api-orgs"),
    path(org, views.OrganizationViewSet.as_view({"get": "retrieve", "patch": "partial_update"}), name="api-org"),
    path(f"{org}memberships/", views.MembershipViewSet.as_view({"get": "list"}), name="api-memberships"),
    path(
        f"{org}memberships/<int:pk>/",
        views.MembershipViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-membership",
    ),
    path(
        f"{org}invitations/",
        views.InvitationViewSet.as_view({"get": "list", "post": "create"}),
        name="api-invitations",
    ),
    path(f"{org}invitations/<int:pk>/", views.InvitationViewSet.as_view({"get": "retrieve"}), name="api-invitation"),
    path(
        f"{org}invitations/<int:pk>/revoke/",
        views.InvitationViewSet.as_view({"post": "revoke"}),
        name="api-invitation-revoke",
    ),
    path("tokens/", views.ApiTokenViewSet.as_view({"get": "list", "post": "create"}), name="api-tokens"),
    path("tokens/<int:pk>/", views.ApiTokenViewSet.as_view({"delete": "destroy"}), name="api-token"),
]
