"""Property-based fuzzing of the REST API against its own OpenAPI schema.

Schemathesis reads the schema drf-spectacular serves at /api/schema/, generates valid
and invalid requests for every operation, sends them to the Django WSGI application
in-process, and fails on any 5xx and on any response the schema does not describe
(status code, content type or body).

The caller is one of Acme's admin, manager and member, each with a real personal API
token; ``org_slug`` is pinned to "acme", and about half the examples aim ``{id}`` at
a row that exists, so requests get past authentication and tenancy into the views
and services instead of ending in 401 or 404. For the manager and the member many
answers are refusals (403, 404): those are fine as long as the schema describes
them; what they must never get is a 5xx or an undocumented answer.

Each operation is one test item per caller
(``test_api_conforms_to_its_schema[GET /api/v1/me/][admin]``,
``test_api_conforms_to_its_schema_for_lower_roles[GET /api/v1/me/][member]``), with
at most ``ADMIN_EXAMPLES`` or ``LOWER_ROLES_EXAMPLES`` fuzzed examples, a fixed seed
and derandomised generation, so a run is repeatable and takes seconds, not minutes.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import ApiToken, Invitation, Membership
from accounts.services import api_token_create, invitation_create
from accounts.testing import Personas
from customers import services as customer_services
from customers.models import CustomerAccount
from notifications.models import Delivery, Notification
from teamhub.lib.tenancy import Role
from teamhub.wsgi import application
from teams import services as team_services
from teams.models import Team, Value
from work import services as work_services
from work.models import Handoff

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# Fuzzing examples per operation, for the admin and for each lower role. The admin
# reaches every view and service, so it gets the most. The manager and the member reach
# fewer (many writes stop at their role check), so fewer examples find what they can:
# at 25 each they would add three to four minutes per database to CI (the admin's run
# alone takes one and a half to two), at 10 they add one (SQLite) to two (PostgreSQL).
ADMIN_EXAMPLES = 25
LOWER_ROLES_EXAMPLES = 10


def _schema(max_examples: int):
    config = schemathesis.Config.from_dict(
        {
            "seed": 20251123,
            "generation": {
                "max-examples": max_examples,
                "deterministic": True,
                # No example database: a failure found once must not change later runs.
                "database": "none",
                # The test sends a real token; generated credentials would only ever reach the 401 path.
                "with-security-parameters": False,
            },
            "parameters": {"path.org_slug": "acme"},
        }
    )
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=config)


schema = _schema(ADMIN_EXAMPLES)
lower_roles_schema = _schema(LOWER_ROLES_EXAMPLES)


@dataclass
class World:
    personas: Personas
    caller: Membership  # whose token the requests carry
    token: ApiToken
    raw_token: str
    spare_token: ApiToken  # the caller's too, for DELETE /tokens/{id}
    invitation: Invitation
    teams: dict[str, int]
    customers: dict[str, int]
    work: dict[str, int]

    def real_id(self, path: str) -> int | None:
        """An id that exists for the collection the path names (the more specific
        collection first: ``/me/strengths/`` before ``/strengths/``)."""
        for collection, pk in (
            ("/memberships/", self.personas.member.pk),
            ("/invitations/", self.invitation.pk),
            ("/tokens/", self.spare_token.pk),
            *((collection, self.work[key]) for collection, key in WORK_COLLECTIONS),
            *((collection, self.customers[key]) for collection, key in CUSTOMERS_COLLECTIONS),
            *((collection, self.teams[key]) for collection, key in TEAMS_COLLECTIONS),
        ):
            if collection in path:
                return pk
        return None

    def aim_parents(self, case) -> None:
        """Point the parent ids of nested collections (``{team_pk}``…) at real rows."""
        for name, pk in (*self.teams.items(), *self.customers.items(), *self.work.items()):
            if name.endswith("_pk") and name in (case.path_parameters or {}):
                case.path_parameters[name] = pk

    def restore(self) -> None:
        """Undo what earlier examples of the same operation did to the rows the next
        one relies on: the caller's tokens, everyone's role (an admin's example may
        demote anyone, itself included), the pending invitation, the open handoff."""
        ApiToken.objects.filter(pk__in=[self.token.pk, self.spare_token.pk]).update(revoked_at=None)
        for persona in (self.personas.admin, self.personas.manager, self.personas.member):
            Membership.objects.filter(pk=persona.pk).update(role=persona.role, is_active=True)
        Invitation.objects.filter(pk=self.invitation.pk).update(revoked_at=None, accepted_at=None)
        # Reopen the handoff, so each example may try a move from the start.
        Handoff.objects.filter(pk=self.work["handoff"]).update(
            status=Handoff.Status.OPEN, accepted_by=None, accepted_at=None, closed_at=None, reason=""
        )


@pytest.fixture
def wsgi_in_test_transaction():
    """Keep Django from closing the test's connection after each WSGI request.

    ``close_old_connections`` runs when a request starts and finishes; inside the
    test's transaction it would close the connection and lose the test's data.
    Django's own test client disconnects it the same way.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(personas, persona, wsgi_in_test_transaction) -> World:
    """The rows the fuzz aims at, for ``persona`` (a test parameter) as the caller."""
    caller = getattr(personas, persona)
    token, raw = api_token_create(user=caller.user, name="schemathesis")
    spare_token, _ = api_token_create(user=caller.user, name="spare")
    invitation, _ = invitation_create(actor=personas.admin, email="dana@example.com", role=Role.MEMBER)
    teams = teams_rows(personas, caller)
    team = Team.objects.get(pk=teams["team"])
    customers = customers_rows(personas, team)
    return World(
        personas=personas,
        caller=caller,
        token=token,
        raw_token=raw,
        spare_token=spare_token,
        invitation=invitation,
        teams=teams,
        customers=customers,
        work=work_rows(personas, caller, team, customers["account"], teams["value"]),
    )


# Path fragment -> key of World.teams, most specific first.
TEAMS_COLLECTIONS = [
    ("/me/strengths/", "my_strength"),
    ("/member-strengths/", "colleague_strength"),
    ("/role-criteria/", "role_criterion"),
    ("/team-members/", "team_member"),
    ("/key-results/", "key_result"),
    ("/criteria/", "criterion"),
    ("/values/", "value"),
    ("/functions/", "function"),
    ("/roles/", "role"),
    ("/strengths/", "strength"),
    ("/teams/", "team"),
    ("/goals/", "goal"),
]


# Path fragment -> key of World.work, checked before the other collections.
WORK_COLLECTIONS = [
    ("/wins/", "win"),
    ("/handoffs/", "handoff"),
    ("/notifications/", "notification"),
    ("/deliveries/", "delivery"),
]


def _someone_else(personas: Personas, caller: Membership) -> Membership:
    """A colleague of the caller's: the member, or the manager when the caller is the member."""
    return personas.manager if caller == personas.member else personas.member


def work_rows(personas: Personas, caller: Membership, team: Team, account_id: int, value_id: int) -> dict[str, int]:
    """A spotlighted win of the member's, and an open handoff to the caller (from the
    member, or from the manager when the caller is the member), whose notification is
    the caller's and its e-mail failed."""
    admin, member = personas.admin, personas.member
    account = CustomerAccount.objects.get(pk=account_id)
    win = work_services.win_create(
        actor=member, title="Saved the order", values=[Value.objects.get(pk=value_id)], team=team, account=account
    )
    work_services.win_spotlight(actor=admin, win=win, note="Copy this")
    sender = _someone_else(personas, caller)
    handoff = work_services.handoff_create(actor=sender, account=account, subject="Quote", to_member=caller)
    notification = Notification.objects.filter(recipient=caller, about_type="handoff", about_id=handoff.pk).get()
    delivery = Delivery.objects.get(notification=notification)
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED, last_error="relay down")
    return {"win": win.pk, "handoff": handoff.pk, "notification": notification.pk, "delivery": delivery.pk}


# Path fragment -> key of World.customers, checked before the teams/ collections.
CUSTOMERS_COLLECTIONS = [
    ("/contacts/", "contact"),
    ("/follow-ups/", "follow_up"),
    ("/accounts/", "account"),
]


def customers_rows(personas: Personas, team: Team) -> dict[str, int]:
    """An account of the fuzzed team with a contact, a follow-up and a transfer in its history."""
    admin, member = personas.admin, personas.member
    account = customer_services.account_create(actor=admin, name="Fabrikam", owning_team=team, external_ref="F-1")
    other_team = team_services.team_create(actor=admin, name="Southwind")
    customer_services.account_transfer(actor=admin, account=account, to_team=other_team, reason="Moved south")
    customer_services.account_transfer(actor=admin, account=account, to_team=team, reason="Back north")
    contact = customer_services.contact_create(actor=admin, account=account, name="Jo", preferences="Mornings")
    follow_up = customer_services.follow_up_create(
        actor=admin, account=account, summary="Quote", contact=contact, owner=member
    )
    return {
        "account": account.pk,
        "contact": contact.pk,
        "follow_up": follow_up.pk,
        "account_pk": account.pk,
    }


def teams_rows(personas: Personas, caller: Membership) -> dict[str, int]:
    """One of each teams/ row, made through the services, for the fuzz to aim at. The
    manager manages the team and the member is on it; "my" strength is the caller's,
    the colleague's someone else's."""
    admin, manager, member = personas.admin, personas.manager, personas.member
    value = team_services.value_create(actor=admin, name="Candour")
    function = team_services.function_create(actor=admin, name="Sales")
    role = team_services.job_role_create(
        actor=admin, function=function, name="Account executive", criteria=[{"looks_like": "Calm", "measure": "NPS"}]
    )
    strength = team_services.strength_create(actor=admin, name="Negotiation")
    team = team_services.team_create(actor=admin, name="Northwind", managers=[manager])
    seat = team_services.team_member_add(actor=admin, team=team, membership=member, job_role=role)
    org_goal = team_services.goal_create(
        actor=admin, title="Delight", period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 3, 31)
    )
    goal = team_services.goal_create(
        actor=admin,
        title="Answer fast",
        team=team,
        parent=org_goal,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
    )
    key_result = team_services.key_result_create(
        actor=admin, goal=goal, title="Replies in a day", baseline=Decimal("40"), target=Decimal("90")
    )
    team_services.check_in_create(actor=admin, key_result=key_result, value=Decimal("55"))
    colleague = _someone_else(personas, caller)
    return {
        "value": value.pk,
        "function": function.pk,
        "role": role.pk,
        "role_criterion": role.criteria.get().pk,
        "strength": strength.pk,
        "my_strength": team_services.member_strength_set(actor=caller, strength=strength, level=4).pk,
        "colleague_strength": team_services.member_strength_set(actor=colleague, strength=strength, level=3).pk,
        "team": team.pk,
        "team_member": seat.pk,
        "criterion": seat.criteria.get().pk,
        "goal": goal.pk,
        "key_result": key_result.pk,
        "team_pk": team.pk,
        "team_membership_pk": seat.pk,
        "goal_pk": goal.pk,
        "key_result_pk": key_result.pk,
        "role_pk": role.pk,
        "strength_pk": strength.pk,
    }


def _fuzz(case, aim_at_real_row: bool, world: World) -> None:
    world.restore()
    real_id = world.real_id(case.path)
    if aim_at_real_row and real_id is not None and "id" in (case.path_parameters or {}):
        case.path_parameters["id"] = real_id
    if aim_at_real_row:
        world.aim_parents(case)
    case.call_and_validate(headers={"Authorization": f"Bearer {world.raw_token}"}, checks=CHECKS)


# Fixtures are set up once per operation and caller, not once per example;
# World.restore() resets, before every example, what earlier ones may have changed.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@schema.parametrize()
@schema.given(aim_at_real_row=st.booleans())
@pytest.mark.parametrize("persona", ["admin"])
def test_api_conforms_to_its_schema(case, aim_at_real_row, world):
    _fuzz(case, aim_at_real_row, world)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@lower_roles_schema.parametrize()
@lower_roles_schema.given(aim_at_real_row=st.booleans())
@pytest.mark.parametrize("persona", ["manager", "member"])
def test_api_conforms_to_its_schema_for_lower_roles(case, aim_at_real_row, world):
    _fuzz(case, aim_at_real_row, world)
