"""Changing who is on a team, or in which role, marks what it changes for the scores:
the team and the functions of the roles involved, for today."""

import pytest
import time_machine

from outbox.models import DirtyScope
from teams import services
from teams.models import TeamMembership
from teams.tests.factories import JobRoleFactory, TeamFactory

pytestmark = pytest.mark.django_db

TODAY = "2026-11-23 10:00:00+00:00"


@pytest.fixture
def team(personas):
    return TeamFactory(organization=personas.org, name="Support", managers=[personas.manager])


def _marks():
    return set(DirtyScope.objects.values_list("scope_type", "scope_id", "day"))


@time_machine.travel(TODAY, tick=False)
def test_adding_someone_marks_the_team_and_their_roles_function(personas, team):
    role = JobRoleFactory(organization=personas.org)

    services.team_member_add(actor=personas.manager, team=team, membership=personas.member, job_role=role)

    day = TeamMembership.objects.get().joined_at.date()
    assert _marks() == {("org", personas.org.pk, day), ("team", team.pk, day), ("function", role.function_id, day)}


@time_machine.travel(TODAY, tick=False)
def test_a_new_role_marks_the_old_and_the_new_function(personas, team):
    old, new = JobRoleFactory(organization=personas.org), JobRoleFactory(organization=personas.org)
    seat = services.team_member_add(actor=personas.manager, team=team, membership=personas.member, job_role=old)
    DirtyScope.objects.all().delete()

    services.team_member_update(actor=personas.manager, team_membership=seat, job_role=new)

    functions = {scope_id for kind, scope_id, _ in _marks() if kind == "function"}
    assert functions == {old.function_id, new.function_id}


@time_machine.travel(TODAY, tick=False)
def test_taking_someone_off_the_team_marks_it(personas, team):
    seat = services.team_member_add(actor=personas.manager, team=team, membership=personas.member)
    DirtyScope.objects.all().delete()

    services.team_member_remove(actor=personas.manager, team_membership=seat)

    assert ("team", team.pk) in {(kind, scope_id) for kind, scope_id, _ in _marks()}


@time_machine.travel(TODAY, tick=False)
def test_a_change_of_place_alone_marks_nothing(personas, team):
    """Lead or member is not counted by any score."""
    seat = services.team_member_add(actor=personas.manager, team=team, membership=personas.member)
    DirtyScope.objects.all().delete()

    services.team_member_update(actor=personas.manager, team_membership=seat, team_role=TeamMembership.TeamRole.LEAD)

    assert not DirtyScope.objects.exists()
