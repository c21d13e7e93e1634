"""The Northwind demo (issue 3, point 9): what `seed_demo` puts in teams/, made through
the services, and that a second run changes nothing."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F

from accounts.demo import demo_email
from accounts.models import Membership
from teams import selectors
from teams.models import (
    CheckIn,
    Endorsement,
    ExcellenceChange,
    Function,
    Goal,
    JobRole,
    KeyResult,
    MemberStrength,
    StageChange,
    Strength,
    Team,
    TeamCommitment,
    TeamMembership,
    Value,
)

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def _person(local):
    return Membership.objects.select_related("user").get(user__email=demo_email(local))


def test_values_are_the_four_with_descriptions(northwind):
    values = list(Value.objects.for_org(northwind.pk))

    assert [v.name for v in values] == ["Customer first", "Own it end to end", "Share what you know", "Keep it simple"]
    assert all(v.description and v.is_active for v in values)


def test_two_organisation_goals_running_to_the_quarter_end_each_with_an_aligned_team_goal(northwind):
    org_goals = list(Goal.objects.for_org(northwind.pk).filter(team__isnull=True))

    assert len(org_goals) == 2
    for goal in org_goals:
        # From three months back (where the check-ins start) to the end of this quarter.
        assert (goal.period_start, goal.period_end) == (dt.date(2026, 8, 1), dt.date(2026, 12, 31))
        assert goal.owner is not None
        assert 2 <= goal.key_results.count() <= 3
        assert goal.children.count() == 1
        assert goal.children.get().team is not None


def test_key_results_mix_kinds_and_directions(northwind):
    key_results = KeyResult.objects.for_org(northwind.pk)

    assert set(key_results.values_list("kind", flat=True)) == set(KeyResult.Kind.values)
    assert set(key_results.values_list("direction", flat=True)) == {"up", "down"}


def test_check_ins_span_the_past_months_and_the_current_value_is_the_latest(northwind):
    key_results = list(KeyResult.objects.for_org(northwind.pk))
    assert any(kr.progress < 100 for kr in key_results)  # not everything is done already
    for key_result in key_results:
        check_ins = list(key_result.check_ins.order_by("created_at"))
        assert len(check_ins) >= 4
        assert check_ins[0].created_at <= TODAY - dt.timedelta(days=85)  # about three months
        assert check_ins[-1].created_at <= TODAY
        assert key_result.current == check_ins[-1].value
        assert key_result.progress > 0


def test_six_functions_and_eight_roles_with_three_or_four_criteria_each(northwind):
    assert Function.objects.for_org(northwind.pk).count() == 6
    roles = list(JobRole.objects.for_org(northwind.pk).prefetch_related("criteria"))
    assert len(roles) == 8
    for role in roles:
        criteria = list(role.criteria.all())
        assert 3 <= len(criteria) <= 4, role
        assert all(c.looks_like and c.measure for c in criteria)


def test_five_teams_of_four_to_eight_people_mostly_cross_functional(northwind):
    teams = list(Team.objects.for_org(northwind.pk))

    assert len(teams) == 5
    for team in teams:
        assert 4 <= team.memberships.count() <= 8, team
        assert team.managers.exists()
    cross_functional = [t for t in teams if selectors.function_coverage(team=t)["is_cross_functional"]]
    assert len(cross_functional) >= 4


def test_teams_are_at_different_stages_with_history_and_some_commitments_kept(northwind):
    stages = set(Team.objects.for_org(northwind.pk).values_list("stage", flat=True))

    assert len(stages) >= 3
    assert StageChange.objects.filter(team__organization=northwind).exists()
    assert TeamCommitment.objects.filter(team__organization=northwind, is_kept=True, kept_since__isnull=False).exists()


def test_the_demo_manager_manages_a_team_and_the_demo_member_sees_an_excellence_definition(northwind):
    assert Team.objects.filter(managers=_person("marcus")).exists()

    placements = list(selectors.my_excellence(membership=_person("member")))

    assert placements
    assert all(p.job_role is not None and len(p.criteria.all()) >= 3 for p in placements)


def test_members_got_their_criteria_through_the_service(northwind):
    """Every placed person's criteria were copied from their role, with history."""
    for placed in TeamMembership.objects.for_org(northwind.pk).select_related("job_role"):
        assert placed.criteria.count() == placed.job_role.criteria.count()
        assert ExcellenceChange.objects.filter(team_membership=placed, action="created").count() == (
            placed.criteria.count()
        )


def test_everyone_marks_two_to_four_strengths_and_some_are_endorsed(northwind):
    assert 10 <= Strength.objects.for_org(northwind.pk).count() <= 14
    for membership in Membership.objects.filter(organization=northwind):
        assert 2 <= MemberStrength.objects.filter(membership=membership).count() <= 4, membership
    assert Endorsement.objects.filter(endorser__organization=northwind).count() >= 10
    assert not Endorsement.objects.filter(endorser=F("endorsed")).exists()


def test_seed_demo_twice_changes_nothing_in_teams(northwind):
    models = [Value, Function, JobRole, Team, TeamMembership, Goal, KeyResult, CheckIn, Strength, MemberStrength]
    before = {m.__name__: m.objects.count() for m in models}
    currents = list(KeyResult.objects.order_by("pk").values_list("current", flat=True))
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert {m.__name__: m.objects.count() for m in models} == before
    assert list(KeyResult.objects.order_by("pk").values_list("current", flat=True)) == currents
    assert "already there" in out.getvalue()


def test_every_check_in_falls_inside_its_goals_period(northwind):
    for check_in in CheckIn.objects.select_related("key_result__goal"):
        goal = check_in.key_result.goal
        assert goal.period_start <= check_in.created_at.date() <= goal.period_end


def test_goals_with_check_ins_have_a_status_their_owners_would_give(northwind):
    statuses = set(Goal.objects.for_org(northwind.pk).values_list("status", flat=True))

    assert statuses <= {Goal.Status.ON_TRACK, Goal.Status.AT_RISK}
