"""Reads for people and tenants, shaped for the pages and endpoints that use them."""

from django.db.models import Count, F, Q

from accounts.models import ApiToken, Invitation, Membership, Organization, User
from teamhub.lib.tenancy import Role


def membership_list(*, membership: Membership):
    return Membership.objects.visible_to(membership).select_related("user").order_by("user__full_name", "user__email")


def active_people(*, membership: Membership):
    """The organisation's active people by name: whom a form may offer as a person."""
    return (
        Membership.objects.visible_to(membership)
        .filter(is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def invitation_list(*, membership: Membership):
    return Invitation.objects.visible_to(membership).select_related("invited_by").order_by("-created_at")


def organization_list_for_user(*, user: User):
    return Organization.objects.filter(memberships__user=user, memberships__is_active=True).order_by("name")


def api_token_list(*, user: User):
    # Active tokens first on every database: PostgreSQL sorts NULLs last by default, SQLite first.
    return ApiToken.objects.filter(user=user).order_by(F("revoked_at").desc(nulls_first=True), "-created_at")


def role_counts(*, membership: Membership) -> dict[str, int]:
    """Active people per role, in one query."""
    return Membership.objects.for_org(membership.organization_id).aggregate(
        total=Count("pk", filter=Q(is_active=True)),
        **{role: Count("pk", filter=Q(is_active=True, role=role)) for role in Role.values},
    )
