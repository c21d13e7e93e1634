"""Deterministic test data for teams/: sequences, never random values.

Factories write rows directly, for arranging a test; the behaviour under test goes
through the services. Related rows default to the same organisation as their parent.
"""

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.tests.factories import MembershipFactory, OrganizationFactory
from teamhub.lib.tenancy import Role
from teams.models import (
    CheckIn,
    Commitment,
    Endorsement,
    ExcellenceChange,
    ExcellenceCriterion,
    Function,
    Goal,
    JobRole,
    KeyResult,
    MemberStrength,
    RoleCriterion,
    Stage,
    StageChange,
    Strength,
    Team,
    TeamCommitment,
    TeamMembership,
    Value,
)


class ValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Value

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Value {n}")
    description = "What we hold each other to."
    order = factory.Sequence(lambda n: n)


class FunctionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Function

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Function {n}")
    order = factory.Sequence(lambda n: n)


class JobRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRole

    organization = factory.SubFactory(OrganizationFactory)
    function = factory.SubFactory(FunctionFactory, organization=factory.SelfAttribute("..organization"))
    name = factory.Sequence(lambda n: f"Role {n}")
    purpose = "Why the role exists."


class RoleCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleCriterion

    role = factory.SubFactory(JobRoleFactory)
    looks_like = factory.Sequence(lambda n: f"Excellence {n}")
    measure = factory.Sequence(lambda n: f"Measure {n}")
    order = factory.Sequence(lambda n: n)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    mission = "Delight our customers."
    stage = Stage.FORMING

    @factory.post_generation
    def managers(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.managers.set(extracted)


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    membership = factory.SubFactory(
        MembershipFactory, organization=factory.SelfAttribute("..team.organization"), role=Role.MEMBER
    )
    team_role = TeamMembership.TeamRole.MEMBER
    job_role = None


class ExcellenceCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExcellenceCriterion

    team_membership = factory.SubFactory(TeamMembershipFactory)
    looks_like = factory.Sequence(lambda n: f"Personal excellence {n}")
    measure = factory.Sequence(lambda n: f"Personal measure {n}")
    order = factory.Sequence(lambda n: n)


class ExcellenceChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExcellenceChange

    team_membership = factory.SubFactory(TeamMembershipFactory)
    criterion = None
    action = ExcellenceChange.Action.CREATED
    after = factory.LazyFunction(lambda: {"looks_like": "Answers within a day", "measure": "Median reply", "order": 0})
    changed_by = factory.SelfAttribute("team_membership.membership")


class TeamCommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamCommitment

    team = factory.SubFactory(TeamFactory)
    commitment = Commitment.CUSTOMER_FIRST
    is_kept = False
    kept_since = None


class StageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageChange

    team = factory.SubFactory(TeamFactory)
    from_stage = Stage.FORMING
    to_stage = Stage.DEVELOPING
    note = "Ready for more."


class GoalFactory(factory.django.DjangoModelFactory):
    """An organisation goal; pass ``team`` and ``parent`` for a team goal."""

    class Meta:
        model = Goal

    organization = factory.SubFactory(OrganizationFactory)
    team = None
    parent = None
    title = factory.Sequence(lambda n: f"Goal {n}")
    period_start = date(2026, 10, 1)
    period_end = date(2026, 12, 31)


class KeyResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyResult

    goal = factory.SubFactory(GoalFactory)
    title = factory.Sequence(lambda n: f"Key result {n}")
    kind = KeyResult.Kind.RESULT
    unit = "%"
    baseline = Decimal("10")
    target = Decimal("50")
    current = factory.SelfAttribute("baseline")
    direction = KeyResult.Direction.UP
    order = factory.Sequence(lambda n: n)


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    key_result = factory.SubFactory(KeyResultFactory)
    value = Decimal("20")
    note = ""
    author = None
    created_at = factory.LazyFunction(timezone.now)


class StrengthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strength

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Strength {n}")
    kind = Strength.Kind.SKILL


class MemberStrengthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberStrength

    strength = factory.SubFactory(StrengthFactory)
    membership = factory.SubFactory(MembershipFactory, organization=factory.SelfAttribute("..strength.organization"))
    level = MemberStrength.Level.STRONG


class EndorsementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endorsement

    member_strength = factory.SubFactory(MemberStrengthFactory)
    endorser = factory.SubFactory(
        MembershipFactory, organization=factory.SelfAttribute("..member_strength.membership.organization")
    )
    endorsed = factory.SelfAttribute("member_strength.membership")
