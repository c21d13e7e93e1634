"""Who may do what in teams/: the rules as truth tables, and the lookups that answer
404 for another organisation's rows before they ever answer 403."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.tests.factories import MembershipFactory
from teamhub.lib.tenancy import Role
from teams import access
from teams.tests.factories import (
    ExcellenceCriterionFactory,
    GoalFactory,
    KeyResultFactory,
    TeamFactory,
    TeamMembershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(personas):
    """Bob manages Sales; Dana manages Support; Charlie is on Sales."""
    dana = MembershipFactory(organization=personas.org, role=Role.MANAGER, user__full_name="Dana Manager")
    sales = TeamFactory(organization=personas.org, name="Sales", managers=[personas.manager])
    support = TeamFactory(organization=personas.org, name="Support", managers=[dana])
    charlie_on_sales = TeamMembershipFactory(team=sales, membership=personas.member)
    return personas, dana, sales, support, charlie_on_sales


# --- manages_team ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("admin", True), ("manager", True), ("other_manager", False), ("member", False)],
)
def test_manages_team_truth_table(acme, who, expected):
    personas, dana, sales, _, _ = acme
    membership = dana if who == "other_manager" else getattr(personas, who)

    assert access.manages_team(membership, sales) is expected


def test_manages_team_is_false_for_a_member_still_listed_as_manager_after_a_demotion(acme):
    personas, _, sales, _, _ = acme
    sales.managers.add(personas.member)

    assert access.manages_team(personas.member, sales) is False


def test_manages_team_is_false_for_an_admin_of_another_organisation(acme):
    personas, _, sales, _, _ = acme

    assert access.manages_team(personas.outsider, sales) is False


# --- can_edit_goal ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("admin", True), ("manager", False), ("other_manager", False), ("member", False), ("owner", True)],
)
def test_can_edit_goal_truth_table_for_an_organisation_goal(acme, who, expected):
    personas, dana, _, _, _ = acme
    owner = MembershipFactory(organization=personas.org)
    goal = GoalFactory(organization=personas.org, owner=owner)
    membership = {"other_manager": dana, "owner": owner}.get(who) or getattr(personas, who)

    assert access.can_edit_goal(membership, goal) is expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [("admin", True), ("manager", True), ("other_manager", False), ("member", False), ("owner", True)],
)
def test_can_edit_goal_truth_table_for_a_team_goal(acme, who, expected):
    personas, dana, sales, _, _ = acme
    owner = MembershipFactory(organization=personas.org)
    parent = GoalFactory(organization=personas.org)
    goal = GoalFactory(organization=personas.org, team=sales, parent=parent, owner=owner)
    membership = {"other_manager": dana, "owner": owner}.get(who) or getattr(personas, who)

    assert access.can_edit_goal(membership, goal) is expected


def test_can_edit_goal_is_false_for_an_admin_of_another_organisation(acme):
    personas, *_ = acme

    assert access.can_edit_goal(personas.outsider, GoalFactory(organization=personas.org)) is False


# --- can_edit_excellence ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("admin", True), ("manager", True), ("other_manager", False), ("member", True), ("colleague", False)],
)
def test_can_edit_excellence_truth_table(acme, who, expected):
    """Charlie (the member) edits his own criteria with Bob, his manager; nobody else but an admin."""
    personas, dana, sales, _, charlie_on_sales = acme
    colleague = TeamMembershipFactory(team=sales).membership
    membership = {"other_manager": dana, "colleague": colleague}.get(who) or getattr(personas, who)

    assert access.can_edit_excellence(membership, charlie_on_sales) is expected


# --- access_*: 404 for another organisation, before any 403 ----------------------------------------


def _other_org_rows(personas):
    team = TeamFactory(organization=personas.other_org)
    goal = GoalFactory(organization=personas.other_org)
    return {
        "team": (access.access_team, "team_id", team.pk),
        "goal": (access.access_goal, "goal_id", goal.pk),
        "key_result": (access.access_key_result, "key_result_id", KeyResultFactory(goal=goal).pk),
        "team_membership": (
            access.access_team_membership,
            "team_membership_id",
            TeamMembershipFactory(team=team).pk,
        ),
        "criterion": (
            access.access_criterion,
            "criterion_id",
            ExcellenceCriterionFactory(team_membership__team=team).pk,
        ),
    }


@pytest.mark.parametrize("entity", ["team", "goal", "key_result", "team_membership", "criterion"])
@pytest.mark.parametrize("persona", ["admin", "manager", "member"])
@pytest.mark.parametrize("write", [False, True])
def test_access_answers_404_for_another_organisations_row_whatever_the_role(personas, entity, persona, write):
    """A member asking to write another organisation's row learns nothing: 404, not 403."""
    func, id_name, pk = _other_org_rows(personas)[entity]

    with pytest.raises(Http404):
        func(membership=getattr(personas, persona), write=write, **{id_name: pk})


@pytest.mark.parametrize("bad_id", [999_999, "not-a-number", None])
def test_access_team_answers_404_for_missing_or_malformed_ids(personas, bad_id):
    with pytest.raises(Http404):
        access.access_team(membership=personas.admin, team_id=bad_id)


def _own_rows(acme):
    personas, _, sales, _, charlie_on_sales = acme
    goal = GoalFactory(organization=personas.org, team=sales, parent=GoalFactory(organization=personas.org))
    return {
        "team": (access.access_team, "team_id", sales.pk),
        "goal": (access.access_goal, "goal_id", goal.pk),
        "key_result": (access.access_key_result, "key_result_id", KeyResultFactory(goal=goal).pk),
        "team_membership": (access.access_team_membership, "team_membership_id", charlie_on_sales.pk),
        "criterion": (
            access.access_criterion,
            "criterion_id",
            ExcellenceCriterionFactory(team_membership=charlie_on_sales).pk,
        ),
    }


@pytest.mark.parametrize("entity", ["team", "goal", "key_result", "team_membership", "criterion"])
def test_access_lets_everyone_in_the_organisation_read(acme, entity):
    func, id_name, pk = _own_rows(acme)[entity]
    dana = acme[1]

    assert func(membership=dana, **{id_name: pk}).pk == pk


@pytest.mark.parametrize("entity", ["team", "goal", "key_result", "team_membership", "criterion"])
def test_access_for_writing_refuses_a_manager_of_another_team_with_403(acme, entity):
    func, id_name, pk = _own_rows(acme)[entity]
    dana = acme[1]

    with pytest.raises(PermissionDenied):
        func(membership=dana, write=True, **{id_name: pk})


@pytest.mark.parametrize("entity", ["team", "goal", "key_result", "team_membership", "criterion"])
def test_access_for_writing_lets_the_teams_manager_through(acme, entity):
    func, id_name, pk = _own_rows(acme)[entity]
    personas = acme[0]

    assert func(membership=personas.manager, write=True, **{id_name: pk}).pk == pk


def test_access_criterion_lets_the_person_edit_their_own_criterion(acme):
    _, _, _, _, charlie_on_sales = acme
    criterion = ExcellenceCriterionFactory(team_membership=charlie_on_sales)

    found = access.access_criterion(membership=charlie_on_sales.membership, criterion_id=criterion.pk, write=True)

    assert found == criterion


def test_access_team_membership_refuses_the_person_themselves_changing_their_place(acme):
    """Their role and place on the team are their manager's call."""
    _, _, _, _, charlie_on_sales = acme

    with pytest.raises(PermissionDenied):
        access.access_team_membership(
            membership=charlie_on_sales.membership, team_membership_id=charlie_on_sales.pk, write=True
        )
