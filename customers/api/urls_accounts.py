"""API routes for accounts, contacts, ownership transfers and follow-ups."""

from django.urls import path

from customers.api.accounts import AccountViewSet, OwnershipChangeViewSet, TurnaroundViewSet
from customers.api.details import ContactViewSet, FollowUpViewSet

org = "orgs/<slug:org_slug>/"

LIST = {"get": "list", "post": "create"}

urlpatterns = [
    path(f"{org}accounts/", AccountViewSet.as_view(LIST), name="api-accounts"),
    path(
        f"{org}accounts/<int:pk>/",
        AccountViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-account",
    ),
    path(
        f"{org}accounts/<int:pk>/transfer/", AccountViewSet.as_view({"post": "transfer"}), name="api-account-transfer"
    ),
    path(
        f"{org}accounts/<int:account_pk>/ownership-changes/",
        OwnershipChangeViewSet.as_view({"get": "list"}),
        name="api-account-ownership-changes",
    ),
    path(f"{org}accounts/<int:account_pk>/contacts/", ContactViewSet.as_view(LIST), name="api-account-contacts"),
    path(
        f"{org}contacts/<int:pk>/",
        ContactViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="api-contact",
    ),
    path(
        f"{org}contacts/<int:pk>/reviewed/", ContactViewSet.as_view({"post": "reviewed"}), name="api-contact-reviewed"
    ),
    path(f"{org}accounts/<int:account_pk>/follow-ups/", FollowUpViewSet.as_view(LIST), name="api-account-follow-ups"),
    path(
        f"{org}follow-ups/<int:pk>/",
        FollowUpViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="api-follow-up",
    ),
    path(
        f"{org}follow-ups/<int:pk>/status/",
        FollowUpViewSet.as_view({"post": "set_status"}),
        name="api-follow-up-status",
    ),
    path(
        f"{org}teams/<int:team_pk>/turnaround/", TurnaroundViewSet.as_view({"get": "list"}), name="api-team-turnaround"
    ),
]
