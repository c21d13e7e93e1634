"""Deterministic teams/ data for the page tests, made through the services as users would."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from accounts.models import Membership
from accounts.tests.factories import MembershipFactory
from teams import services
from teams.models import Function, Goal, JobRole, KeyResult, MemberStrength, Strength, Team, TeamMembership, Value

START, END = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


@dataclass
class TeamsWorld:
    value: Value
    function: Function
    job_role: JobRole
    strength: Strength
    team: Team  # managed by the organisation's manager, with the member on it
    unmanaged_team: Team
    team_membership: TeamMembership  # the member on ``team``
    goal: Goal
    team_goal: Goal
    key_result: KeyResult  # on ``team_goal``
    member_strength: MemberStrength  # the member's


def make_world(admin: Membership, manager: Membership | None, member: Membership) -> TeamsWorld:
    org = admin.organization.name
    function = services.function_create(actor=admin, name=f"{org} service")
    job_role = services.job_role_create(
        actor=admin,
        function=function,
        name=f"{org} support specialist",
        criteria=[{"looks_like": "Every customer hears back within a day", "measure": "First-response time"}],
    )
    strength = services.strength_create(actor=admin, name=f"{org} negotiation")
    team = services.team_create(actor=admin, name=f"{org} support", managers=[manager] if manager else [])
    goal = services.goal_create(actor=admin, title=f"{org} delights customers", period_start=START, period_end=END)
    team_goal = services.goal_create(
        actor=admin, team=team, parent=goal, title=f"{org} answers faster", period_start=START, period_end=END
    )
    return TeamsWorld(
        value=services.value_create(actor=admin, name=f"{org} customer first"),
        function=function,
        job_role=job_role,
        strength=strength,
        team=team,
        unmanaged_team=services.team_create(actor=admin, name=f"{org} sales"),
        team_membership=services.team_member_add(actor=admin, team=team, membership=member, job_role=job_role),
        goal=goal,
        team_goal=team_goal,
        key_result=services.key_result_create(
            actor=admin, goal=team_goal, title="Median reply hours", baseline=Decimal(24), target=Decimal(4), unit="h"
        ),
        member_strength=services.member_strength_set(actor=member, strength=strength, level=4),
    )


def add_people(organization, count: int, *, world: TeamsWorld | None = None, admin: Membership | None = None):
    """``count`` more members, each on the world's team with a strength and a check-in's worth of data."""
    people = [MembershipFactory(organization=organization) for _ in range(count)]
    if world is not None and admin is not None:
        for person in people:
            services.team_member_add(actor=admin, team=world.team, membership=person, job_role=world.job_role)
            services.member_strength_set(actor=person, strength=world.strength, level=3)
    return people
