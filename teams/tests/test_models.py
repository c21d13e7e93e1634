"""Invariants the database keeps even when application code forgets them, and the
progress a key result derives from its numbers."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts.tests.factories import MembershipFactory, OrganizationFactory
from teams.models import Endorsement, Function, Goal, KeyResult, MemberStrength, Strength, Team, Value
from teams.models.goals import progress_percent
from teams.tests.factories import (
    EndorsementFactory,
    FunctionFactory,
    GoalFactory,
    KeyResultFactory,
    MemberStrengthFactory,
    StrengthFactory,
    TeamFactory,
    ValueFactory,
)

pytestmark = pytest.mark.django_db


def _violates_db_constraint(func) -> bool:
    """Whether ``func`` fails in the database (inside a savepoint so the test goes on)."""
    try:
        with transaction.atomic():
            func()
    except IntegrityError:
        return True
    return False


# --- Names unique per organisation, whatever their case ------------------------------------------


@pytest.mark.parametrize(
    ("model", "factory"),
    [(Value, ValueFactory), (Function, FunctionFactory), (Team, TeamFactory), (Strength, StrengthFactory)],
)
def test_names_differing_only_in_case_are_refused_by_the_database(model, factory):
    existing = factory(name="Customer First")

    assert _violates_db_constraint(
        lambda: model.objects.create(organization=existing.organization, name="customer first")
    )


def test_the_same_name_is_fine_in_another_organisation():
    ValueFactory(name="Customer first")

    assert not _violates_db_constraint(lambda: ValueFactory(name="Customer first", organization=OrganizationFactory()))


# --- Goals and key results -----------------------------------------------------------------------


def test_goal_ending_before_it_starts_is_refused_by_the_database():
    goal = GoalFactory()

    assert _violates_db_constraint(lambda: Goal.objects.filter(pk=goal.pk).update(period_end="2026-09-30"))


def test_team_goal_without_an_organisation_goal_parent_is_refused_by_the_database():
    team = TeamFactory()

    assert _violates_db_constraint(lambda: GoalFactory(organization=team.organization, team=team, parent=None))


def test_key_result_with_target_equal_to_baseline_is_refused_by_the_database():
    key_result = KeyResultFactory(baseline=Decimal("10"), target=Decimal("50"))

    assert _violates_db_constraint(lambda: KeyResult.objects.filter(pk=key_result.pk).update(target=Decimal("10")))


@pytest.mark.parametrize(
    ("direction", "baseline", "target"),
    [(KeyResult.Direction.UP, "50", "10"), (KeyResult.Direction.DOWN, "10", "50")],
)
def test_key_result_direction_contradicting_its_target_is_refused_by_the_database(direction, baseline, target):
    assert _violates_db_constraint(
        lambda: KeyResultFactory(direction=direction, baseline=Decimal(baseline), target=Decimal(target))
    )


@pytest.mark.parametrize(
    ("baseline", "target", "value", "expected"),
    [
        ("0", "100", "0", 0),
        ("0", "100", "40", 40),
        ("0", "100", "100", 100),
        ("0", "100", "130", 100),  # beyond the target: clamped
        ("0", "100", "-20", 0),  # worse than the baseline: clamped
        ("20", "60", "30", 25),
        ("4.5", "2", "4.5", 0),  # down is good
        ("4.5", "2", "3.25", 50),
        ("4.5", "2", "1", 100),
        ("4.5", "2", "6", 0),
        ("10", "10", "12", 0),  # no span: no progress, no division by zero
    ],
)
def test_progress_percent_measures_the_way_from_baseline_to_target_clamped(baseline, target, value, expected):
    assert progress_percent(Decimal(baseline), Decimal(target), Decimal(value)) == expected


def test_key_result_progress_follows_its_current_value():
    key_result = KeyResultFactory(baseline=Decimal("52"), target=Decimal("24"), direction="down", current=Decimal("38"))

    assert key_result.progress == 50


# --- Strengths and endorsements ------------------------------------------------------------------


@pytest.mark.parametrize("level", [0, 6])
def test_member_strength_level_outside_1_to_5_is_refused_by_the_database(level):
    member_strength = MemberStrengthFactory()

    assert _violates_db_constraint(lambda: MemberStrength.objects.filter(pk=member_strength.pk).update(level=level))


def test_marking_the_same_strength_twice_is_refused_by_the_database():
    member_strength = MemberStrengthFactory()

    assert _violates_db_constraint(
        lambda: MemberStrength.objects.create(membership=member_strength.membership, strength=member_strength.strength)
    )


def test_self_endorsement_is_refused_by_the_database():
    member_strength = MemberStrengthFactory()

    assert _violates_db_constraint(
        lambda: Endorsement.objects.create(
            member_strength=member_strength,
            endorser=member_strength.membership,
            endorsed=member_strength.membership,
        )
    )


def test_endorsing_the_same_strength_twice_is_refused_by_the_database():
    endorsement = EndorsementFactory()

    assert _violates_db_constraint(
        lambda: Endorsement.objects.create(
            member_strength=endorsement.member_strength,
            endorser=endorsement.endorser,
            endorsed=endorsement.endorsed,
        )
    )


def test_a_colleague_may_endorse_a_strength_once():
    member_strength = MemberStrengthFactory()
    colleague = MembershipFactory(organization=member_strength.membership.organization)

    assert not _violates_db_constraint(lambda: EndorsementFactory(member_strength=member_strength, endorser=colleague))
