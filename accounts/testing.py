"""The personas every test may use: one organisation with an admin, a manager and a
member, and an outsider who is admin of another organisation (Alice, Bob, Charlie and
Olivia)."""

from dataclasses import dataclass

from accounts.models import Membership, Organization
from accounts.tests.factories import MembershipFactory, OrganizationFactory
from teamhub.lib.tenancy import Role


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
