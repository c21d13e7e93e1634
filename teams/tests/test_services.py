"""Writes for teams/: each use case, who may do it, what bad input gets, and what it
leaves behind."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.tests.factories import MembershipFactory
from teamhub.lib.tenancy import Role
from teams import selectors, services
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
from teams.tests.factories import (
    FunctionFactory,
    GoalFactory,
    JobRoleFactory,
    KeyResultFactory,
    MemberStrengthFactory,
    RoleCriterionFactory,
    StrengthFactory,
    TeamFactory,
    TeamMembershipFactory,
    ValueFactory,
)

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def acme(personas):
    """Bob manages Sales, Dana manages Support; Charlie is on Sales."""
    personas.other_manager = MembershipFactory(
        organization=personas.org, role=Role.MANAGER, user__full_name="Dana Manager"
    )
    personas.sales = TeamFactory(organization=personas.org, name="Sales", managers=[personas.manager])
    personas.support = TeamFactory(organization=personas.org, name="Support", managers=[personas.other_manager])
    return personas


def _field_error(excinfo, field: str) -> str:
    errors = excinfo.value.message_dict
    assert field in errors, errors
    return " ".join(errors[field])


def _role_with_template(organization, name="Account executive", lines=("Knows every buyer", "Quotes in a day")):
    role = JobRoleFactory(organization=organization, name=name)
    for order, text in enumerate(lines):
        RoleCriterionFactory(role=role, looks_like=text, measure=f"{text}: measured", order=order)
    return role


# --- Values ---------------------------------------------------------------------------------------


def test_value_create_adds_a_value_at_the_end(personas):
    ValueFactory(organization=personas.org, order=0)

    value = services.value_create(actor=personas.admin, name="Own it end to end", description="No handoffs lost.")

    assert (value.organization, value.name, value.order, value.is_active) == (
        personas.org,
        "Own it end to end",
        1,
        True,
    )


@pytest.mark.parametrize("persona", ["manager", "member"])
def test_value_create_is_refused_to_non_admins(personas, persona):
    with pytest.raises(PermissionDenied):
        services.value_create(actor=getattr(personas, persona), name="Keep it simple")

    assert not Value.objects.exists()


@pytest.mark.parametrize("name", ["customer first", "CUSTOMER FIRST", "  Customer First  "])
def test_value_create_refuses_a_duplicate_name_in_any_case(personas, name):
    ValueFactory(organization=personas.org, name="Customer first")

    with pytest.raises(ValidationError) as excinfo:
        services.value_create(actor=personas.admin, name=name)

    assert "already exists" in _field_error(excinfo, "name")
    assert Value.objects.count() == 1


def test_value_create_allows_a_name_another_organisation_uses(personas):
    ValueFactory(organization=personas.other_org, name="Customer first")

    assert services.value_create(actor=personas.admin, name="Customer first").organization == personas.org


def test_value_update_archives_and_restores_a_value(personas):
    value = ValueFactory(organization=personas.org)

    services.value_update(actor=personas.admin, value=value, is_active=False)
    assert list(selectors.value_list(membership=personas.member)) == []
    assert list(selectors.value_list(membership=personas.admin, include_archived=True)) == [value]

    services.value_update(actor=personas.admin, value=value, is_active=True)
    assert list(selectors.value_list(membership=personas.member)) == [value]


def test_an_archived_values_name_stays_taken(personas):
    value = ValueFactory(organization=personas.org, name="Customer first")
    services.value_update(actor=personas.admin, value=value, is_active=False)

    with pytest.raises(ValidationError) as excinfo:
        services.value_create(actor=personas.admin, name="Customer First")

    _field_error(excinfo, "name")


def test_value_update_is_refused_to_managers_and_changes_nothing(personas):
    value = ValueFactory(organization=personas.org, name="Customer first")

    with pytest.raises(PermissionDenied):
        services.value_update(actor=personas.manager, value=value, is_active=False)

    assert Value.objects.get(pk=value.pk).is_active is True


def test_value_update_refuses_renaming_to_another_values_name(personas):
    ValueFactory(organization=personas.org, name="Customer first")
    value = ValueFactory(organization=personas.org, name="Keep it simple")

    with pytest.raises(ValidationError) as excinfo:
        services.value_update(actor=personas.admin, value=value, name="CUSTOMER FIRST")

    _field_error(excinfo, "name")
    assert Value.objects.get(pk=value.pk).name == "Keep it simple"


def test_value_update_may_change_the_case_of_its_own_name(personas):
    value = ValueFactory(organization=personas.org, name="keep it simple")

    assert services.value_update(actor=personas.admin, value=value, name="Keep it simple").name == "Keep it simple"


def test_value_update_refuses_fields_it_does_not_own(personas):
    value = ValueFactory(organization=personas.org)

    with pytest.raises(ValidationError):
        services.value_update(actor=personas.admin, value=value, organization=personas.other_org)

    assert Value.objects.get(pk=value.pk).organization == personas.org


# --- Functions and roles --------------------------------------------------------------------------


def test_function_create_adds_a_function(personas):
    function = services.function_create(actor=personas.admin, name="Customer service")

    assert (function.organization, function.name) == (personas.org, "Customer service")


def test_function_create_refuses_a_duplicate_name_and_non_admins(personas):
    FunctionFactory(organization=personas.org, name="Sales")

    with pytest.raises(ValidationError) as excinfo:
        services.function_create(actor=personas.admin, name="sales")
    _field_error(excinfo, "name")
    with pytest.raises(PermissionDenied):
        services.function_create(actor=personas.manager, name="Finance")

    assert Function.objects.count() == 1


def test_function_delete_refuses_while_roles_are_in_it(personas):
    role = JobRoleFactory(organization=personas.org)

    with pytest.raises(ValidationError):
        services.function_delete(actor=personas.admin, function=role.function)

    assert Function.objects.filter(pk=role.function_id).exists()


def test_job_role_create_saves_its_excellence_template_in_order(personas):
    function = FunctionFactory(organization=personas.org, name="Sales")

    role = services.job_role_create(
        actor=personas.admin,
        function=function,
        name="Account executive",
        criteria=[
            {"looks_like": "Knows every buyer by name", "measure": "Contact map up to date"},
            {"looks_like": "Quotes within a day", "measure": "Median quote time under 24 h"},
        ],
    )

    assert [(c.order, c.looks_like) for c in role.criteria.all()] == [
        (0, "Knows every buyer by name"),
        (1, "Quotes within a day"),
    ]


def test_job_role_create_refuses_a_function_of_another_organisation(personas):
    foreign = FunctionFactory(organization=personas.other_org)

    with pytest.raises(ValidationError) as excinfo:
        services.job_role_create(actor=personas.admin, function=foreign, name="Spy")

    _field_error(excinfo, "function")
    assert not JobRole.objects.exists()


def test_job_role_create_refuses_a_duplicate_name_in_any_case(personas):
    role = JobRoleFactory(organization=personas.org, name="Buyer")

    with pytest.raises(ValidationError) as excinfo:
        services.job_role_create(actor=personas.admin, function=role.function, name="BUYER")

    _field_error(excinfo, "name")
    assert JobRole.objects.count() == 1


def test_job_role_create_refuses_a_template_line_without_a_measure_and_saves_nothing(personas):
    function = FunctionFactory(organization=personas.org)

    with pytest.raises(ValidationError):
        services.job_role_create(
            actor=personas.admin, function=function, name="Buyer", criteria=[{"looks_like": "Buys well", "measure": ""}]
        )

    assert not JobRole.objects.exists()
    assert not RoleCriterion.objects.exists()


def test_job_role_delete_refuses_while_someone_holds_the_role(acme):
    role = JobRoleFactory(organization=acme.org)
    TeamMembershipFactory(team=acme.sales, job_role=role)

    with pytest.raises(ValidationError):
        services.job_role_delete(actor=acme.admin, role=role)

    assert JobRole.objects.filter(pk=role.pk).exists()


def test_role_criterion_add_appends_to_the_template_and_is_admin_only(personas):
    role = _role_with_template(personas.org)

    criterion = services.role_criterion_add(
        actor=personas.admin, role=role, looks_like="Forecast lands within 5 %", measure="Quarterly accuracy"
    )
    with pytest.raises(PermissionDenied):
        services.role_criterion_add(actor=personas.manager, role=role, looks_like="x", measure="y")

    assert criterion.order == 2
    assert role.criteria.count() == 3


# --- Teams ----------------------------------------------------------------------------------------


def test_team_create_makes_a_team_with_its_managers(personas):
    team = services.team_create(
        actor=personas.admin, name="Trailhead", mission="Independent shops", managers=[personas.manager]
    )

    assert (team.organization, team.stage) == (personas.org, Stage.FORMING)
    assert list(team.managers.all()) == [personas.manager]


@pytest.mark.parametrize("persona", ["manager", "member"])
def test_team_create_is_refused_to_non_admins(personas, persona):
    with pytest.raises(PermissionDenied):
        services.team_create(actor=getattr(personas, persona), name="Rogue")

    assert not Team.objects.exists()


def test_team_create_refuses_a_duplicate_name_in_any_case(acme):
    with pytest.raises(ValidationError) as excinfo:
        services.team_create(actor=acme.admin, name="SALES")

    _field_error(excinfo, "name")
    assert Team.objects.count() == 2


@pytest.mark.parametrize("who", ["outsider", "member", "inactive_manager"])
def test_team_create_refuses_managers_who_cannot_manage_here(personas, who):
    manager = (
        MembershipFactory(organization=personas.org, role=Role.MANAGER, is_active=False)
        if who == "inactive_manager"
        else getattr(personas, who)
    )

    with pytest.raises(ValidationError) as excinfo:
        services.team_create(actor=personas.admin, name="Trailhead", managers=[manager])

    _field_error(excinfo, "managers")
    assert not Team.objects.exists()


def test_team_update_lets_the_teams_manager_rename_it(acme):
    services.team_update(actor=acme.manager, team=acme.sales, name="Wholesale", mission="Shops")

    assert Team.objects.get(pk=acme.sales.pk).name == "Wholesale"


def test_team_update_is_refused_to_a_manager_of_another_team(acme):
    with pytest.raises(PermissionDenied):
        services.team_update(actor=acme.other_manager, team=acme.sales, name="Mine now")

    assert Team.objects.get(pk=acme.sales.pk).name == "Sales"


def test_team_update_is_refused_to_an_admin_of_another_organisation(acme):
    with pytest.raises(PermissionDenied):
        services.team_update(actor=acme.outsider, team=acme.sales, name="Annexed")

    assert Team.objects.get(pk=acme.sales.pk).name == "Sales"


def test_team_update_lets_only_admins_change_who_manages_and_a_refusal_saves_nothing(acme):
    with pytest.raises(PermissionDenied):
        services.team_update(
            actor=acme.manager, team=acme.sales, name="Wholesale", managers=[acme.manager, acme.other_manager]
        )
    team = Team.objects.get(pk=acme.sales.pk)
    assert (team.name, list(team.managers.all())) == ("Sales", [acme.manager])

    services.team_update(actor=acme.admin, team=team, managers=[acme.other_manager])
    assert list(team.managers.all()) == [acme.other_manager]


# --- Team members and their excellence --------------------------------------------------------------


def test_team_member_add_copies_the_roles_excellence_template_and_records_it(acme):
    role = _role_with_template(acme.org)

    placed = services.team_member_add(actor=acme.manager, team=acme.sales, membership=acme.member, job_role=role)

    criteria = list(placed.criteria.all())
    assert [(c.looks_like, c.measure, c.source) for c in criteria] == [
        (t.looks_like, t.measure, t) for t in role.criteria.all()
    ]
    changes = ExcellenceChange.objects.filter(team_membership=placed)
    assert {(c.action, c.after["looks_like"], c.changed_by) for c in changes} == {
        (ExcellenceChange.Action.CREATED, "Knows every buyer", acme.manager),
        (ExcellenceChange.Action.CREATED, "Quotes in a day", acme.manager),
    }


def test_team_member_add_without_a_role_gives_no_criteria(acme):
    placed = services.team_member_add(actor=acme.manager, team=acme.sales, membership=acme.member)

    assert (placed.team_role, placed.criteria.count()) == (TeamMembership.TeamRole.MEMBER, 0)


def test_later_template_changes_leave_peoples_adapted_criteria_alone(acme):
    role = _role_with_template(acme.org)
    placed = services.team_member_add(actor=acme.manager, team=acme.sales, membership=acme.member, job_role=role)

    services.role_criterion_add(actor=acme.admin, role=role, looks_like="New line", measure="New measure")

    assert placed.criteria.count() == 2


@pytest.mark.parametrize("who", ["other_manager", "member"])
def test_team_member_add_is_refused_to_anyone_but_the_teams_managers(acme, who):
    with pytest.raises(PermissionDenied):
        services.team_member_add(actor=getattr(acme, who), team=acme.sales, membership=acme.member)

    assert not TeamMembership.objects.exists()


def test_team_member_add_refuses_a_person_of_another_organisation(acme):
    with pytest.raises(ValidationError) as excinfo:
        services.team_member_add(actor=acme.admin, team=acme.sales, membership=acme.outsider)

    _field_error(excinfo, "membership")
    assert not TeamMembership.objects.exists()


def test_team_member_add_refuses_a_role_of_another_organisation(acme):
    foreign_role = _role_with_template(acme.other_org)

    with pytest.raises(ValidationError) as excinfo:
        services.team_member_add(actor=acme.manager, team=acme.sales, membership=acme.member, job_role=foreign_role)

    _field_error(excinfo, "job_role")
    assert not TeamMembership.objects.exists()
    assert not ExcellenceCriterion.objects.exists()


def test_team_member_add_refuses_someone_already_on_the_team(acme):
    services.team_member_add(actor=acme.manager, team=acme.sales, membership=acme.member)

    with pytest.raises(ValidationError) as excinfo:
        services.team_member_add(actor=acme.manager, team=acme.sales, membership=acme.member)

    assert "already on Sales" in _field_error(excinfo, "membership")
    assert TeamMembership.objects.count() == 1


def test_changing_the_job_role_replaces_the_criteria_and_records_the_removals(acme):
    old_role = _role_with_template(acme.org, "Account executive", ("Knows every buyer",))
    new_role = _role_with_template(acme.org, "Demand planner", ("Forecast within 5 %", "No stock-outs on core lines"))
    placed = services.team_member_add(actor=acme.manager, team=acme.sales, membership=acme.member, job_role=old_role)
    adapted = placed.criteria.get()
    services.criterion_update(actor=acme.member, criterion=adapted, looks_like="Knows every buyer and their kids")

    services.team_member_update(actor=acme.manager, team_membership=placed, job_role=new_role)

    assert [c.looks_like for c in placed.criteria.all()] == ["Forecast within 5 %", "No stock-outs on core lines"]
    removed = ExcellenceChange.objects.get(team_membership=placed, action=ExcellenceChange.Action.DELETED)
    assert removed.before["looks_like"] == "Knows every buyer and their kids"
    assert (removed.after, removed.changed_by) == (None, acme.manager)


def test_team_member_update_keeps_criteria_when_the_role_stays(acme):
    role = _role_with_template(acme.org)
    placed = services.team_member_add(actor=acme.manager, team=acme.sales, membership=acme.member, job_role=role)
    before = list(placed.criteria.values_list("pk", flat=True))

    services.team_member_update(
        actor=acme.manager, team_membership=placed, job_role=role, team_role=TeamMembership.TeamRole.LEAD
    )

    assert list(placed.criteria.values_list("pk", flat=True)) == before
    assert TeamMembership.objects.get(pk=placed.pk).team_role == TeamMembership.TeamRole.LEAD


def test_team_member_update_refuses_a_role_of_another_organisation_and_keeps_the_old_one(acme):
    role = _role_with_template(acme.org)
    placed = services.team_member_add(actor=acme.manager, team=acme.sales, membership=acme.member, job_role=role)

    with pytest.raises(ValidationError) as excinfo:
        services.team_member_update(
            actor=acme.manager, team_membership=placed, job_role=_role_with_template(acme.other_org)
        )

    _field_error(excinfo, "job_role")
    assert TeamMembership.objects.get(pk=placed.pk).job_role == role
    assert placed.criteria.count() == 2


def test_team_member_remove_is_for_the_teams_managers(acme):
    placed = TeamMembershipFactory(team=acme.sales, membership=acme.member)

    with pytest.raises(PermissionDenied):
        services.team_member_remove(actor=acme.other_manager, team_membership=placed)
    services.team_member_remove(actor=acme.manager, team_membership=placed)

    assert not TeamMembership.objects.exists()


def test_criterion_add_by_the_person_records_who_added_what(acme):
    placed = TeamMembershipFactory(team=acme.sales, membership=acme.member)

    criterion = services.criterion_add(
        actor=acme.member, team_membership=placed, looks_like="Every shop visited twice a year", measure="Visit log"
    )

    change = ExcellenceChange.objects.get(criterion=criterion)
    assert (change.action, change.before, change.changed_by) == (ExcellenceChange.Action.CREATED, None, acme.member)
    assert change.after == {"looks_like": "Every shop visited twice a year", "measure": "Visit log", "order": 0}


@pytest.mark.parametrize("who", ["other_manager", "colleague"])
def test_criterion_add_is_refused_to_anyone_but_the_person_and_their_managers(acme, who):
    placed = TeamMembershipFactory(team=acme.sales, membership=acme.member)
    actor = TeamMembershipFactory(team=acme.sales).membership if who == "colleague" else acme.other_manager

    with pytest.raises(PermissionDenied):
        services.criterion_add(actor=actor, team_membership=placed, looks_like="x", measure="y")

    assert not ExcellenceCriterion.objects.exists()
    assert not ExcellenceChange.objects.exists()


def test_criterion_add_refuses_an_empty_measure_and_saves_nothing(acme):
    placed = TeamMembershipFactory(team=acme.sales, membership=acme.member)

    with pytest.raises(ValidationError) as excinfo:
        services.criterion_add(actor=acme.manager, team_membership=placed, looks_like="Answers fast", measure="")

    _field_error(excinfo, "measure")
    assert not ExcellenceChange.objects.exists()


def test_criterion_update_records_before_and_after(acme):
    placed = TeamMembershipFactory(team=acme.sales, membership=acme.member)
    criterion = services.criterion_add(actor=acme.manager, team_membership=placed, looks_like="Fast", measure="Median")

    services.criterion_update(actor=acme.manager, criterion=criterion, measure="Median reply under 4 h")

    change = ExcellenceChange.objects.get(action=ExcellenceChange.Action.UPDATED)
    assert change.before == {"looks_like": "Fast", "measure": "Median", "order": 0}
    assert change.after == {"looks_like": "Fast", "measure": "Median reply under 4 h", "order": 0}
    assert change.changed_by == acme.manager


def test_criterion_update_without_a_real_change_records_nothing(acme):
    placed = TeamMembershipFactory(team=acme.sales, membership=acme.member)
    criterion = services.criterion_add(actor=acme.manager, team_membership=placed, looks_like="Fast", measure="Median")

    services.criterion_update(actor=acme.member, criterion=criterion, looks_like="Fast")

    assert not ExcellenceChange.objects.filter(action=ExcellenceChange.Action.UPDATED).exists()


def test_criterion_update_refuses_moving_the_criterion_to_someone_else(acme):
    placed = TeamMembershipFactory(team=acme.sales, membership=acme.member)
    criterion = services.criterion_add(actor=acme.manager, team_membership=placed, looks_like="Fast", measure="Median")

    with pytest.raises(ValidationError):
        services.criterion_update(
            actor=acme.manager, criterion=criterion, team_membership=TeamMembershipFactory(team=acme.sales)
        )

    assert ExcellenceCriterion.objects.get(pk=criterion.pk).team_membership == placed


def test_criterion_delete_keeps_what_it_said_in_the_history(acme):
    placed = TeamMembershipFactory(team=acme.sales, membership=acme.member)
    criterion = services.criterion_add(actor=acme.manager, team_membership=placed, looks_like="Fast", measure="Median")

    services.criterion_delete(actor=acme.member, criterion=criterion)

    change = ExcellenceChange.objects.get(action=ExcellenceChange.Action.DELETED)
    assert (change.before["looks_like"], change.after, change.changed_by) == ("Fast", None, acme.member)
    assert not ExcellenceCriterion.objects.exists()


# --- Maturity and commitments ----------------------------------------------------------------------


def test_team_stage_change_moves_the_team_and_records_the_history(acme):
    team = services.team_stage_change(
        actor=acme.manager, team=acme.sales, stage=Stage.DEVELOPING, note="Plans together"
    )

    assert Team.objects.get(pk=acme.sales.pk).stage == team.stage == Stage.DEVELOPING
    change = StageChange.objects.get()
    assert (change.team, change.from_stage, change.to_stage, change.note, change.changed_by) == (
        acme.sales,
        Stage.FORMING,
        Stage.DEVELOPING,
        "Plans together",
        acme.manager,
    )


def test_team_stage_change_refuses_the_stage_the_team_is_in(acme):
    with pytest.raises(ValidationError) as excinfo:
        services.team_stage_change(actor=acme.manager, team=acme.sales, stage=Stage.FORMING)

    assert "already forming" in _field_error(excinfo, "stage")
    assert not StageChange.objects.exists()


def test_team_stage_change_compares_with_the_saved_stage_not_a_stale_copy(acme):
    stale = Team.objects.get(pk=acme.sales.pk)
    services.team_stage_change(actor=acme.manager, team=acme.sales, stage=Stage.DEVELOPING)

    with pytest.raises(ValidationError):
        services.team_stage_change(actor=acme.manager, team=stale, stage=Stage.DEVELOPING)

    assert StageChange.objects.count() == 1


def test_team_stage_change_refuses_an_unknown_stage_and_another_teams_manager(acme):
    with pytest.raises(ValidationError) as excinfo:
        services.team_stage_change(actor=acme.manager, team=acme.sales, stage="legendary")
    _field_error(excinfo, "stage")
    with pytest.raises(PermissionDenied):
        services.team_stage_change(actor=acme.other_manager, team=acme.sales, stage=Stage.PERFORMING)

    assert Team.objects.get(pk=acme.sales.pk).stage == Stage.FORMING
    assert not StageChange.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_team_commitment_set_marks_it_kept_since_today_and_unset_clears_the_date(acme):
    kept = services.team_commitment_set(
        actor=acme.manager, team=acme.sales, commitment=Commitment.CUSTOMER_FIRST, is_kept=True, note="NPS 60+"
    )
    assert (kept.is_kept, kept.kept_since, kept.updated_by) == (True, dt.date(2026, 11, 23), acme.manager)

    services.team_commitment_set(
        actor=acme.manager, team=acme.sales, commitment=Commitment.CUSTOMER_FIRST, is_kept=False
    )

    item = TeamCommitment.objects.get()
    assert (item.is_kept, item.kept_since) == (False, None)


def test_team_commitment_set_keeps_an_explicit_kept_since(acme):
    item = services.team_commitment_set(
        actor=acme.manager,
        team=acme.sales,
        commitment=Commitment.IMPROVES,
        is_kept=True,
        kept_since=dt.date(2026, 3, 1),
    )

    assert TeamCommitment.objects.get(pk=item.pk).kept_since == dt.date(2026, 3, 1)


def test_team_commitment_set_on_an_already_kept_commitment_keeps_its_date(acme):
    services.team_commitment_set(
        actor=acme.manager,
        team=acme.sales,
        commitment=Commitment.IMPROVES,
        is_kept=True,
        kept_since=dt.date(2026, 3, 1),
    )

    with time_machine.travel(NOON, tick=False):
        services.team_commitment_set(
            actor=acme.manager, team=acme.sales, commitment=Commitment.IMPROVES, is_kept=True, note="Still true"
        )

    assert TeamCommitment.objects.get().kept_since == dt.date(2026, 3, 1)


def test_team_commitment_set_refuses_an_unknown_commitment_and_another_teams_manager(acme):
    with pytest.raises(ValidationError) as excinfo:
        services.team_commitment_set(actor=acme.manager, team=acme.sales, commitment="world_peace", is_kept=True)
    _field_error(excinfo, "commitment")
    with pytest.raises(PermissionDenied):
        services.team_commitment_set(
            actor=acme.other_manager, team=acme.sales, commitment=Commitment.IMPROVES, is_kept=True
        )

    assert not TeamCommitment.objects.exists()


# --- Goals ---------------------------------------------------------------------------------------


def _quarter():
    return {"period_start": dt.date(2026, 10, 1), "period_end": dt.date(2026, 12, 31)}


def test_goal_create_makes_an_organisation_goal_for_admins(personas):
    goal = services.goal_create(actor=personas.admin, title="Repeat customers", owner=personas.manager, **_quarter())

    assert (goal.organization, goal.team, goal.parent, goal.owner) == (personas.org, None, None, personas.manager)


@pytest.mark.parametrize("persona", ["manager", "member"])
def test_goal_create_of_an_organisation_goal_is_refused_to_non_admins(personas, persona):
    with pytest.raises(PermissionDenied):
        services.goal_create(actor=getattr(personas, persona), title="Mine", **_quarter())

    assert not Goal.objects.exists()


def test_goal_create_makes_a_team_goal_aligned_to_an_organisation_goal(acme):
    parent = GoalFactory(organization=acme.org)

    goal = services.goal_create(
        actor=acme.manager, title="Win back shops", team=acme.sales, parent=parent, **_quarter()
    )

    assert (goal.team, goal.parent, goal.is_team_goal) == (acme.sales, parent, True)


def test_goal_create_of_a_team_goal_is_refused_to_a_manager_of_another_team(acme):
    with pytest.raises(PermissionDenied):
        services.goal_create(
            actor=acme.other_manager,
            title="Not mine",
            team=acme.sales,
            parent=GoalFactory(organization=acme.org),
            **_quarter(),
        )

    assert Goal.objects.count() == 1


@pytest.mark.parametrize("parent_kind", ["none", "team_goal", "other_org"])
def test_goal_create_refuses_a_team_goal_without_an_organisation_goal_parent(acme, parent_kind):
    org_goal = GoalFactory(organization=acme.org)
    parent = {
        "none": None,
        "team_goal": GoalFactory(organization=acme.org, team=acme.support, parent=org_goal),
        "other_org": GoalFactory(organization=acme.other_org),
    }[parent_kind]
    before = Goal.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        services.goal_create(actor=acme.manager, title="Adrift", team=acme.sales, parent=parent, **_quarter())

    _field_error(excinfo, "parent")
    assert Goal.objects.count() == before


def test_goal_create_refuses_an_organisation_goal_with_a_parent(personas):
    parent = GoalFactory(organization=personas.org)

    with pytest.raises(ValidationError) as excinfo:
        services.goal_create(actor=personas.admin, title="Nested", parent=parent, **_quarter())

    _field_error(excinfo, "parent")


def test_goal_create_refuses_a_team_of_another_organisation(acme):
    foreign = TeamFactory(organization=acme.other_org)

    with pytest.raises(ValidationError) as excinfo:
        services.goal_create(
            actor=acme.admin, title="Theirs", team=foreign, parent=GoalFactory(organization=acme.org), **_quarter()
        )

    _field_error(excinfo, "team")


@pytest.mark.parametrize("who", ["outsider", "inactive"])
def test_goal_create_refuses_an_owner_who_is_not_an_active_colleague(personas, who):
    owner = personas.outsider if who == "outsider" else MembershipFactory(organization=personas.org, is_active=False)

    with pytest.raises(ValidationError) as excinfo:
        services.goal_create(actor=personas.admin, title="Owned", owner=owner, **_quarter())

    _field_error(excinfo, "owner")
    assert not Goal.objects.exists()


def test_goal_create_refuses_a_period_ending_before_it_starts(personas):
    with pytest.raises(ValidationError):
        services.goal_create(
            actor=personas.admin, title="Backwards", period_start=dt.date(2026, 12, 31), period_end=dt.date(2026, 10, 1)
        )

    assert not Goal.objects.exists()


def test_goal_update_lets_the_owner_change_status_and_refuses_others(acme):
    goal = GoalFactory(organization=acme.org, owner=acme.member)

    services.goal_update(actor=acme.member, goal=goal, status=Goal.Status.ON_TRACK)
    with pytest.raises(PermissionDenied):
        services.goal_update(actor=acme.manager, goal=goal, status=Goal.Status.OFF_TRACK)

    assert Goal.objects.get(pk=goal.pk).status == Goal.Status.ON_TRACK


def test_goal_update_refuses_realigning_a_team_goal_to_a_team_goal(acme):
    org_goal = GoalFactory(organization=acme.org)
    other_team_goal = GoalFactory(organization=acme.org, team=acme.support, parent=org_goal)
    goal = GoalFactory(organization=acme.org, team=acme.sales, parent=org_goal)

    with pytest.raises(ValidationError) as excinfo:
        services.goal_update(actor=acme.manager, goal=goal, parent=other_team_goal)

    _field_error(excinfo, "parent")
    assert Goal.objects.get(pk=goal.pk).parent == org_goal


def test_goal_delete_refuses_while_team_goals_are_aligned_to_it(acme):
    org_goal = GoalFactory(organization=acme.org)
    GoalFactory(organization=acme.org, team=acme.sales, parent=org_goal)

    with pytest.raises(ValidationError):
        services.goal_delete(actor=acme.admin, goal=org_goal)

    assert Goal.objects.filter(pk=org_goal.pk).exists()


# --- Key results and check-ins ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("baseline", "target", "direction"),
    [(Decimal("58"), Decimal("75"), KeyResult.Direction.UP), (Decimal("4.5"), Decimal("2"), KeyResult.Direction.DOWN)],
)
def test_key_result_create_infers_the_direction_and_starts_at_the_baseline(personas, baseline, target, direction):
    goal = GoalFactory(organization=personas.org)

    key_result = services.key_result_create(
        actor=personas.admin, goal=goal, title="Measure", baseline=baseline, target=target, kind=KeyResult.Kind.OUTPUT
    )

    assert (key_result.direction, key_result.current, key_result.progress) == (direction, baseline, 0)


def test_key_result_create_refuses_a_target_equal_to_the_baseline(personas):
    goal = GoalFactory(organization=personas.org)

    with pytest.raises(ValidationError) as excinfo:
        services.key_result_create(
            actor=personas.admin, goal=goal, title="Flat", baseline=Decimal(5), target=Decimal(5)
        )

    _field_error(excinfo, "target")
    assert not KeyResult.objects.exists()


@pytest.mark.parametrize(
    ("direction", "baseline", "target"),
    [(KeyResult.Direction.UP, Decimal("50"), Decimal("10")), (KeyResult.Direction.DOWN, Decimal("10"), Decimal("50"))],
)
def test_key_result_create_refuses_a_direction_contradicting_the_target(personas, direction, baseline, target):
    goal = GoalFactory(organization=personas.org)

    with pytest.raises(ValidationError) as excinfo:
        services.key_result_create(
            actor=personas.admin, goal=goal, title="Typo", baseline=baseline, target=target, direction=direction
        )

    _field_error(excinfo, "target")
    assert not KeyResult.objects.exists()


def test_key_result_create_is_refused_to_a_manager_of_another_team(acme):
    goal = GoalFactory(organization=acme.org, team=acme.sales, parent=GoalFactory(organization=acme.org))

    with pytest.raises(PermissionDenied):
        services.key_result_create(
            actor=acme.other_manager, goal=goal, title="Sneaky", baseline=Decimal(0), target=Decimal(10)
        )

    assert not KeyResult.objects.exists()


def test_key_result_update_refuses_a_target_contradicting_the_direction_and_saves_nothing(personas):
    key_result = KeyResultFactory(goal__organization=personas.org, baseline=Decimal(10), target=Decimal(50))

    with pytest.raises(ValidationError) as excinfo:
        services.key_result_update(actor=personas.admin, key_result=key_result, target=Decimal(5))

    _field_error(excinfo, "target")
    assert KeyResult.objects.get(pk=key_result.pk).target == Decimal(50)


def test_key_result_update_does_not_set_the_current_value(personas):
    key_result = KeyResultFactory(goal__organization=personas.org)

    with pytest.raises(ValidationError):
        services.key_result_update(actor=personas.admin, key_result=key_result, current=Decimal(45))

    assert KeyResult.objects.get(pk=key_result.pk).current == key_result.baseline


@pytest.mark.parametrize(
    ("baseline", "target", "value", "progress"),
    [("0", "100", "40", 40), ("52", "24", "38", 50), ("0", "100", "150", 100), ("52", "24", "60", 0)],
)
def test_check_in_sets_the_current_value_and_progress_follows(personas, baseline, target, value, progress):
    key_result = services.key_result_create(
        actor=personas.admin,
        goal=GoalFactory(organization=personas.org),
        title="KR",
        baseline=Decimal(baseline),
        target=Decimal(target),
    )

    check_in = services.check_in_create(
        actor=personas.admin, key_result=key_result, value=Decimal(value), note="Week 3"
    )

    key_result.refresh_from_db()
    assert (key_result.current, key_result.progress) == (Decimal(value), progress)
    assert (check_in.author, check_in.note) == (personas.admin, "Week 3")


@time_machine.travel(NOON, tick=False)
def test_check_in_recorded_late_for_an_earlier_date_does_not_overwrite_the_latest_value(personas):
    key_result = KeyResultFactory(goal__organization=personas.org, baseline=Decimal(0), target=Decimal(100))

    services.check_in_create(actor=personas.admin, key_result=key_result, value=Decimal(60))
    services.check_in_create(
        actor=personas.admin, key_result=key_result, value=Decimal(30), at=NOON - dt.timedelta(days=14)
    )

    key_result.refresh_from_db()
    assert key_result.current == Decimal(60)
    assert CheckIn.objects.get(value=Decimal(30)).created_at == NOON - dt.timedelta(days=14)


def test_check_in_with_a_later_date_becomes_the_current_value(personas):
    key_result = KeyResultFactory(goal__organization=personas.org, baseline=Decimal(0), target=Decimal(100))

    services.check_in_create(actor=personas.admin, key_result=key_result, value=Decimal(20), at=NOON)
    services.check_in_create(
        actor=personas.admin, key_result=key_result, value=Decimal(35), at=NOON + dt.timedelta(days=7)
    )

    key_result.refresh_from_db()
    assert key_result.current == Decimal(35)


def test_check_in_by_the_goals_owner_is_allowed_and_by_anyone_else_refused(acme):
    key_result = KeyResultFactory(goal__organization=acme.org, goal__owner=acme.member)

    services.check_in_create(actor=acme.member, key_result=key_result, value=Decimal(20))
    with pytest.raises(PermissionDenied):
        services.check_in_create(actor=acme.manager, key_result=key_result, value=Decimal(45))

    key_result.refresh_from_db()
    assert (key_result.current, CheckIn.objects.count()) == (Decimal(20), 1)


def test_check_in_is_refused_to_a_manager_of_another_team(acme):
    goal = GoalFactory(organization=acme.org, team=acme.sales, parent=GoalFactory(organization=acme.org))
    key_result = KeyResultFactory(goal=goal)

    with pytest.raises(PermissionDenied):
        services.check_in_create(actor=acme.other_manager, key_result=key_result, value=Decimal(45))

    assert not CheckIn.objects.exists()


def test_check_in_refuses_a_value_that_is_not_a_number(personas):
    key_result = KeyResultFactory(goal__organization=personas.org)

    with pytest.raises(ValidationError) as excinfo:
        services.check_in_create(actor=personas.admin, key_result=key_result, value="lots")

    _field_error(excinfo, "value")
    assert not CheckIn.objects.exists()


# --- Strengths and endorsements --------------------------------------------------------------------


def test_strength_create_adds_to_the_catalogue_and_refuses_duplicates_and_non_admins(personas):
    services.strength_create(actor=personas.admin, name="Negotiation", kind=Strength.Kind.SKILL)

    with pytest.raises(ValidationError) as excinfo:
        services.strength_create(actor=personas.admin, name="NEGOTIATION")
    _field_error(excinfo, "name")
    with pytest.raises(PermissionDenied):
        services.strength_create(actor=personas.member, name="Coaching")

    assert list(Strength.objects.values_list("name", flat=True)) == ["Negotiation"]


def test_member_strength_set_marks_a_strength_then_changes_its_level(personas):
    strength = StrengthFactory(organization=personas.org)

    services.member_strength_set(actor=personas.member, strength=strength, level=2)
    services.member_strength_set(actor=personas.member, strength=strength, level=4)

    assert list(MemberStrength.objects.values_list("membership", "level")) == [(personas.member.pk, 4)]


def test_member_strength_set_refuses_a_strength_of_another_organisation(personas):
    with pytest.raises(ValidationError) as excinfo:
        services.member_strength_set(
            actor=personas.member, strength=StrengthFactory(organization=personas.other_org), level=3
        )

    _field_error(excinfo, "strength")
    assert not MemberStrength.objects.exists()


@pytest.mark.parametrize("level", [0, 6, None])
def test_member_strength_set_refuses_a_level_outside_1_to_5(personas, level):
    with pytest.raises(ValidationError) as excinfo:
        services.member_strength_set(
            actor=personas.member, strength=StrengthFactory(organization=personas.org), level=level
        )

    _field_error(excinfo, "level")
    assert not MemberStrength.objects.exists()


def test_member_strength_remove_refuses_someone_elses_strength(personas):
    theirs = MemberStrengthFactory(membership=personas.manager, strength__organization=personas.org)

    with pytest.raises(PermissionDenied):
        services.member_strength_remove(actor=personas.member, member_strength=theirs)
    services.member_strength_remove(actor=personas.manager, member_strength=theirs)

    assert not MemberStrength.objects.exists()


def test_endorsement_create_records_who_vouches_for_whom(personas):
    theirs = MemberStrengthFactory(membership=personas.manager, strength__organization=personas.org)

    endorsement = services.endorsement_create(actor=personas.member, member_strength=theirs)

    assert (endorsement.endorser, endorsement.endorsed, endorsement.member_strength) == (
        personas.member,
        personas.manager,
        theirs,
    )


def test_endorsement_create_refuses_endorsing_yourself(personas):
    mine = MemberStrengthFactory(membership=personas.member, strength__organization=personas.org)

    with pytest.raises(ValidationError, match="your own"):
        services.endorsement_create(actor=personas.member, member_strength=mine)

    assert not Endorsement.objects.exists()


def test_endorsement_create_refuses_endorsing_the_same_strength_twice(personas):
    theirs = MemberStrengthFactory(membership=personas.manager, strength__organization=personas.org)
    services.endorsement_create(actor=personas.member, member_strength=theirs)

    with pytest.raises(ValidationError, match="already endorsed"):
        services.endorsement_create(actor=personas.member, member_strength=theirs)

    assert Endorsement.objects.count() == 1


def test_endorsement_create_refuses_someone_of_another_organisation(personas):
    theirs = MemberStrengthFactory(membership=personas.outsider, strength__organization=personas.other_org)

    with pytest.raises(ValidationError):
        services.endorsement_create(actor=personas.member, member_strength=theirs)

    assert not Endorsement.objects.exists()


def test_endorsement_remove_withdraws_only_your_own_endorsement(personas):
    theirs = MemberStrengthFactory(membership=personas.manager, strength__organization=personas.org)
    services.endorsement_create(actor=personas.member, member_strength=theirs)
    services.endorsement_create(actor=personas.admin, member_strength=theirs)

    services.endorsement_remove(actor=personas.member, member_strength=theirs)

    assert list(Endorsement.objects.values_list("endorser", flat=True)) == [personas.admin.pk]


def test_admin_only_services_refuse_an_admin_of_another_organisation(personas):
    value = services.value_create(actor=personas.admin, name="Customer first")
    function = services.function_create(actor=personas.admin, name="Sales")
    strength = services.strength_create(actor=personas.admin, name="Negotiation")

    for attempt in (
        lambda: services.value_update(actor=personas.outsider, value=value, name="Hijacked"),
        lambda: services.function_update(actor=personas.outsider, function=function, name="Hijacked"),
        lambda: services.function_delete(actor=personas.outsider, function=function),
        lambda: services.strength_update(actor=personas.outsider, strength=strength, name="Hijacked"),
        lambda: services.strength_delete(actor=personas.outsider, strength=strength),
    ):
        with pytest.raises(PermissionDenied):
            attempt()

    assert Value.objects.get(pk=value.pk).name == "Customer first"
    assert Function.objects.filter(pk=function.pk, name="Sales").exists()
    assert Strength.objects.filter(pk=strength.pk, name="Negotiation").exists()
