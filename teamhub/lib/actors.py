"""Who acts through a service: a person, or TeamHub itself.

Every service takes ``actor``. Usually it is the Membership of the person asking, and
what they may do follows from their role. A scheduled job, a customer's survey link
or an integration acts as a ``SystemActor`` instead: it names its organisation, says
in a phrase who it is (the history shows it), and holds only the grants it was made
with — never a role, and never a borrowed person's membership — so it can do exactly
what it exists for and nothing else.

A service that TeamHub itself may carry out says so with ``require_grant``: a person
needs the role, the system needs the named grant. Every other service refuses a
system actor, since ``has_role`` is false for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from teamhub.lib.tenancy import require_role

if TYPE_CHECKING:
    from accounts.models import Organization


@dataclass(frozen=True)
class SystemActor:
    organization: Organization
    name: str
    grants: frozenset[str]

    # What services read of a person, answered for the system: no row of its own, no
    # role, nothing it manages; it is active while it runs.
    pk = None
    role = None
    is_admin = False
    is_manager = False
    is_active = True
    is_system = True

    @property
    def organization_id(self) -> int:
        return self.organization.pk

    @property
    def display_name(self) -> str:
        return f"TeamHub ({self.name})"

    def may(self, grant: str) -> bool:
        return grant in self.grants

    def __str__(self) -> str:
        return self.display_name


def system_actor(organization: Organization, name: str, *grants: str) -> SystemActor:
    """TeamHub acting in ``organization`` as ``name`` (e.g. "the SCIM integration"),
    allowed only ``grants``."""
    return SystemActor(organization=organization, name=name, grants=frozenset(grants))


def is_system(actor) -> bool:
    return getattr(actor, "is_system", False)


def person(actor):
    """The Membership behind an actor, for who-did-it columns; None for the system."""
    return None if is_system(actor) else actor


def actor_name(actor) -> str:
    """How the actor is named in messages and history."""
    return actor.display_name if is_system(actor) else actor.user.display_name


def require_grant(actor, grant: str, *, role: str | None = None) -> None:
    """A use case both people and TeamHub itself may carry out: a person needs ``role``
    (any member when None); the system needs ``grant``, given by name when it was made."""
    if is_system(actor):
        if not actor.may(grant):
            raise PermissionDenied(f"{actor} was not granted “{grant}”.")
        return
    if role is not None:
        require_role(actor, role)
