"""Property-based fuzzing of the REST API against its own OpenAPI schema.

Schemathesis reads the schema drf-spectacular serves at /api/schema/, generates valid
and invalid requests for every operation, sends them to the Django WSGI application
in-process, and fails on any 5xx and on any response the schema does not describe
(status code, content type or body).

The caller is Acme's admin with a real personal API token, ``org_slug`` is pinned to
"acme", and about half the examples aim ``{id}`` at a row that exists, so requests
get past authentication and tenancy into the views and services instead of ending
in 401 or 404.

Each operation is one test item (``test_api_conforms_to_its_schema[GET /api/v1/me/]``)
with at most 25 examples per generation phase, a fixed seed and derandomised
generation, so a run is repeatable and takes seconds, not minutes.
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

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20251123,
        "generation": {
            "max-examples": 25,
            "deterministic": True,
            # No example database: a failure found once must not change later runs.
            "database": "none",
            # The test sends a real token; generated credentials would only ever reach the 401 path.
            "with-security-parameters": False,
        },
        "parameters": {"path.org_slug": "acme"},
    }
)

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=CONFIG)


@dataclass
class World:
    personas: Personas
    token: ApiToken
    raw_token: str
    spare_token: ApiToken
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
        one relies on: the caller's token and admin role, the pending invitation, the
        spare token."""
        ApiToken.objects.filter(pk__in=[self.token.pk, self.spare_token.pk]).update(revoked_at=None)
        Membership.objects.filter(pk=self.personas.admin.pk).update(role=Role.ADMIN, is_active=True)
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
def world(personas, wsgi_in_test_transaction) -> World:
    token, raw = api_token_create(user=personas.admin.user, name="schemathesis")
    spare_token, _ = api_token_create(user=personas.admin.user, name="spare")
    invitation, _ = invitation_create(actor=personas.admin, email="dana@example.com", role=Role.MEMBER)
    teams = teams_rows(personas)
    team = Team.objects.get(pk=teams["team"])
    customers = customers_rows(personas, team)
    return World(
        personas=personas,
        token=token,
        raw_token=raw,
        spare_token=spare_token,
        invitation=invitation,
        teams=teams,
        customers=customers,
        work=work_rows(personas, team, customers["account"], teams["value"]),
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


def work_rows(personas: Personas, team: Team, account_id: int, value_id: int) -> dict[str, int]:
    """A spotlighted win of the member's, and an open handoff from the member to the
    caller (Acme's admin), whose notification is the caller's and its e-mail failed."""
    admin, member = personas.admin, personas.member
    account = CustomerAccount.objects.get(pk=account_id)
    win = work_services.win_create(
        actor=member, title="Saved the order", values=[Value.objects.get(pk=value_id)], team=team, account=account
    )
    work_services.win_spotlight(actor=admin, win=win, note="Copy this")
    handoff = work_services.handoff_create(actor=member, account=account, subject="Quote", to_member=admin)
    notification = Notification.objects.filter(recipient=admin, about_type="handoff", about_id=handoff.pk).get()
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


def teams_rows(personas: Personas) -> dict[str, int]:
    """One of each teams/ row, made through the services, for the fuzz to aim at."""
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
    return {
        "value": value.pk,
        "function": function.pk,
        "role": role.pk,
        "role_criterion": role.criteria.get().pk,
        "strength": strength.pk,
        "my_strength": team_services.member_strength_set(actor=admin, strength=strength, level=4).pk,
        "colleague_strength": team_services.member_strength_set(actor=member, strength=strength, level=3).pk,
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


# Fixtures are set up once per operation, not once per example; World.restore()
# resets, before every example, what earlier ones may have changed.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@schema.parametrize()
@schema.given(aim_at_real_row=st.booleans())
def test_api_conforms_to_its_schema(case, aim_at_real_row, world):
    world.restore()
    real_id = world.real_id(case.path)
    if aim_at_real_row and real_id is not None and "id" in (case.path_parameters or {}):
        case.path_parameters["id"] = real_id
    if aim_at_real_row:
        world.aim_parents(case)
    case.call_and_validate(headers={"Authorization": f"Bearer {world.raw_token}"}, checks=CHECKS)
