"""Test plumbing shared by every app's tests and the cross-cutting harnesses."""

import os
from dataclasses import dataclass

import pytest
from django.urls import reverse

from accounts.models import Membership, Organization
from accounts.tests.factories import MembershipFactory, OrganizationFactory
from teamhub.lib.tenancy import Role


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(available: bool, reason: str) -> None:
    """Skip a test whose service is missing, with the reason; under CI=true, fail instead."""
    if available:
        return
    if in_ci():
        pytest.fail(f"Required under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


@dataclass
class Personas:
    """Who is who in every test: one organisation with an admin, a manager and a
    member, and an outsider who is admin of another organisation."""

    org: Organization
    other_org: Organization
    admin: Membership
    manager: Membership
    member: Membership
    outsider: Membership

    def by_name(self, name: str) -> Membership | None:
        return None if name == "anonymous" else getattr(self, name)


PERSONA_NAMES = ["anonymous", "outsider", "member", "manager", "admin"]


def make_personas() -> Personas:
    org = OrganizationFactory(name="Acme", slug="acme")
    other_org = OrganizationFactory(name="Globex", slug="globex")
    return Personas(
        org=org,
        other_org=other_org,
        admin=MembershipFactory(
            organization=org, role=Role.ADMIN, user__email="alice@example.com", user__full_name="Alice Admin"
        ),
        manager=MembershipFactory(
            organization=org, role=Role.MANAGER, user__email="bob@example.com", user__full_name="Bob Manager"
        ),
        member=MembershipFactory(
            organization=org, role=Role.MEMBER, user__email="charlie@example.com", user__full_name="Charlie Member"
        ),
        outsider=MembershipFactory(
            organization=other_org, role=Role.ADMIN, user__email="olivia@example.com", user__full_name="Olivia Outsider"
        ),
    )


def api_url(name: str, org: str = "acme", **kwargs) -> str:
    """An organisation-scoped API URL by name (Acme's unless ``org`` says otherwise)."""
    return reverse(name, kwargs={"org_slug": org, **kwargs})


def error_fields(response) -> dict:
    """The per-field messages of the API's one error shape."""
    return response.json()["error"]["fields"]
