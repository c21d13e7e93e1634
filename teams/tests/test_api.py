"""The teams API: each resource through HTTP, its refusals, and bounded queries.

Alice is Acme's admin, Bob a manager, Charlie a member; Olivia is Globex's admin.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import MembershipFactory
from teamhub.lib.tenancy import Role
from teamhub.lib.testing import api_url as url
from teamhub.lib.testing import error_fields as fields_of
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
    TeamMembership,
    Value,
)
from teams.tests.factories import (
    CheckInFactory,
    EndorsementFactory,
    ExcellenceChangeFactory,
    ExcellenceCriterionFactory,
    FunctionFactory,
    GoalFactory,
    JobRoleFactory,
    KeyResultFactory,
    MemberStrengthFactory,
    RoleCriterionFactory,
    StageChangeFactory,
    StrengthFactory,
    TeamFactory,
    TeamMembershipFactory,
    ValueFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(personas):
    """Bob's team, with Charlie on it."""
    team = TeamFactory(organization=personas.org, name="Northwind", managers=[personas.manager])
    TeamMembershipFactory(team=team, membership=personas.member)
    return team


@pytest.fixture
def other_team(personas):
    """A team of Acme's that Bob does not manage."""
    manager = MembershipFactory(organization=personas.org, role=Role.MANAGER)
    return TeamFactory(organization=personas.org, name="Southwind", managers=[manager])


@pytest.fixture
def globex_team(personas):
    return TeamFactory(organization=personas.other_org, name="Globex team")


# --- Values ---------------------------------------------------------------------------------------


def test_admin_creates_a_value_that_every_member_reads(as_admin, as_member):
    response = as_admin.post(url("api-values"), {"name": "Candour", "description": "Say it kindly."})

    assert response.status_code == 201
    assert response.json()["is_active"] is True
    listed = as_member.get(url("api-values")).json()
    assert [v["name"] for v in listed["results"]] == ["Candour"]


def test_value_archived_by_patch_is_filtered_out_by_is_active(personas, as_admin):
    kept = ValueFactory(organization=personas.org, name="Kept")
    archived = ValueFactory(organization=personas.org, name="Old")

    response = as_admin.patch(url("api-value", pk=archived.pk), {"is_active": False})

    assert response.status_code == 200
    assert response.json()["is_active"] is False
    active = as_admin.get(url("api-values"), {"is_active": "true"}).json()["results"]
    assert [v["id"] for v in active] == [kept.pk]


def test_member_creating_a_value_is_refused_and_nothing_saved(as_member):
    response = as_member.post(url("api-values"), {"name": "Sneaky"})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Value.objects.exists()


def test_duplicate_value_name_is_a_name_error_and_nothing_saved(personas, as_admin):
    ValueFactory(organization=personas.org, name="Candour")

    response = as_admin.post(url("api-values"), {"name": "candour"})

    assert response.status_code == 400
    assert "name" in fields_of(response)
    assert Value.objects.count() == 1


def test_another_organisations_value_is_not_found(personas, as_admin):
    theirs = ValueFactory(organization=personas.other_org)

    assert as_admin.get(url("api-value", pk=theirs.pk)).status_code == 404
    assert as_admin.patch(url("api-value", pk=theirs.pk), {"name": "Mine"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name != "Mine"


def test_outsider_is_not_found_in_acme(personas, api_client_for):
    assert api_client_for(personas.outsider).get(url("api-values")).status_code == 404


# --- Functions and roles --------------------------------------------------------------------------


def test_admin_creates_updates_and_deletes_a_function(as_admin):
    created = as_admin.post(url("api-functions"), {"name": "Sales"}).json()
    assert created["role_count"] == 0

    response = as_admin.patch(url("api-function", pk=created["id"]), {"name": "Field sales"})
    assert response.json()["name"] == "Field sales"

    assert as_admin.delete(url("api-function", pk=created["id"])).status_code == 204
    assert not Function.objects.exists()


def test_deleting_a_function_with_roles_is_refused(personas, as_admin):
    role = JobRoleFactory(organization=personas.org)

    response = as_admin.delete(url("api-function", pk=role.function_id))

    assert response.status_code == 400
    assert Function.objects.filter(pk=role.function_id).exists()


def test_admin_creates_a_role_with_its_excellence_template(personas, as_admin):
    sales = FunctionFactory(organization=personas.org, name="Sales")
    body = {
        "function": sales.pk,
        "name": "Account executive",
        "criteria": [
            {"looks_like": "Knows each customer's goals", "measure": "Account plans up to date"},
            {"looks_like": "Answers fast", "measure": "Median reply under a day"},
        ],
    }

    response = as_admin.post(url("api-roles"), body, format="json")

    assert response.status_code == 201
    data = response.json()
    assert data["function_name"] == "Sales"
    assert [c["looks_like"] for c in data["criteria"]] == ["Knows each customer's goals", "Answers fast"]
    assert as_admin.get(url("api-role", pk=data["id"])).json()["criteria"] == data["criteria"]


def test_role_with_another_organisations_function_is_a_field_error_and_nothing_saved(personas, as_admin):
    theirs = FunctionFactory(organization=personas.other_org)

    response = as_admin.post(url("api-roles"), {"function": theirs.pk, "name": "Spy"}, format="json")

    assert response.status_code == 400
    assert "function" in fields_of(response)
    assert not JobRole.objects.exists()


def test_role_with_an_empty_criterion_saves_neither_role_nor_criteria(personas, as_admin):
    sales = FunctionFactory(organization=personas.org)
    body = {"function": sales.pk, "name": "AE", "criteria": [{"looks_like": "", "measure": "x"}]}

    response = as_admin.post(url("api-roles"), body, format="json")

    assert response.status_code == 400
    assert "criteria" in fields_of(response)
    assert not JobRole.objects.exists()


def test_roles_filter_by_function(personas, as_member):
    sales = JobRoleFactory(organization=personas.org, name="AE")
    JobRoleFactory(organization=personas.org, name="Accountant")

    response = as_member.get(url("api-roles"), {"function": sales.function_id})

    assert [r["name"] for r in response.json()["results"]] == ["AE"]


def test_admin_edits_a_roles_template_line_by_line(personas, as_admin):
    role = JobRoleFactory(organization=personas.org)

    added = as_admin.post(url("api-role-criteria", role_pk=role.pk), {"looks_like": "A", "measure": "B"})
    assert added.status_code == 201
    changed = as_admin.patch(url("api-role-criterion", pk=added.json()["id"]), {"measure": "C"})
    assert changed.json()["measure"] == "C"
    assert as_admin.delete(url("api-role-criterion", pk=added.json()["id"])).status_code == 204
    assert not RoleCriterion.objects.exists()


def test_manager_cannot_change_a_roles_template(personas, as_manager):
    criterion = RoleCriterionFactory(role=JobRoleFactory(organization=personas.org), measure="Before")

    response = as_manager.patch(url("api-role-criterion", pk=criterion.pk), {"measure": "After"})

    assert response.status_code == 403
    criterion.refresh_from_db()
    assert criterion.measure == "Before"


def test_another_organisations_role_criterion_is_not_found_even_for_a_member(personas, as_member):
    theirs = RoleCriterionFactory(role=JobRoleFactory(organization=personas.other_org))
    their_role = theirs.role

    assert as_member.patch(url("api-role-criterion", pk=theirs.pk), {"measure": "x"}).status_code == 404
    assert as_member.post(url("api-role-criteria", role_pk=their_role.pk), {}).status_code == 404


# --- Strengths catalogue and holders --------------------------------------------------------------


def test_strengths_filter_by_kind_and_search(personas, as_member):
    StrengthFactory(organization=personas.org, name="Negotiation", kind=Strength.Kind.SKILL)
    StrengthFactory(organization=personas.org, name="Empathy", kind=Strength.Kind.STRENGTH)

    by_kind = as_member.get(url("api-strengths"), {"kind": "strength"}).json()["results"]
    by_words = as_member.get(url("api-strengths"), {"q": "negot"}).json()["results"]

    assert [s["name"] for s in by_kind] == ["Empathy"]
    assert [s["name"] for s in by_words] == ["Negotiation"]


def test_admin_creates_changes_and_deletes_a_strength(as_admin):
    created = as_admin.post(url("api-strengths"), {"name": "SQL", "kind": "skill"}).json()
    assert as_admin.patch(url("api-strength", pk=created["id"]), {"kind": "strength"}).json()["kind"] == "strength"
    assert as_admin.delete(url("api-strength", pk=created["id"])).status_code == 204


def test_holders_are_strongest_first_above_min_level(personas, as_member):
    sql = StrengthFactory(organization=personas.org)
    MemberStrengthFactory(strength=sql, membership=personas.admin, level=5)
    MemberStrengthFactory(strength=sql, membership=personas.manager, level=2)

    everyone = as_member.get(url("api-strength-holders", strength_pk=sql.pk)).json()["results"]
    strong = as_member.get(url("api-strength-holders", strength_pk=sql.pk), {"min_level": 3}).json()["results"]

    assert [h["membership"]["id"] for h in everyone] == [personas.admin.pk, personas.manager.pk]
    assert [h["membership"]["id"] for h in strong] == [personas.admin.pk]


def test_holders_with_a_bad_min_level_is_a_field_error(personas, as_member):
    sql = StrengthFactory(organization=personas.org)

    response = as_member.get(url("api-strength-holders", strength_pk=sql.pk), {"min_level": 9})

    assert response.status_code == 400
    assert "min_level" in fields_of(response)


# --- Teams ----------------------------------------------------------------------------------------


def test_admin_creates_a_team_with_managers(personas, as_admin):
    response = as_admin.post(url("api-teams"), {"name": "Eastwind", "managers": [personas.manager.pk]}, format="json")

    assert response.status_code == 201
    assert [m["id"] for m in response.json()["managers"]] == [personas.manager.pk]
    assert len(response.json()["commitments"]) == 6


def test_team_with_a_member_as_manager_is_a_field_error_and_nothing_saved(personas, as_admin):
    response = as_admin.post(url("api-teams"), {"name": "Eastwind", "managers": [personas.member.pk]}, format="json")

    assert response.status_code == 400
    assert "managers" in fields_of(response)
    assert not Team.objects.exists()


def test_team_with_another_organisations_manager_is_a_field_error(personas, as_admin):
    response = as_admin.post(url("api-teams"), {"name": "Eastwind", "managers": [personas.outsider.pk]}, format="json")

    assert response.status_code == 400
    assert "managers" in fields_of(response)
    assert not Team.objects.exists()


def test_team_detail_shows_members_function_coverage_and_commitments(personas, team, as_member):
    sales = JobRoleFactory(organization=personas.org, function__name="Sales")
    FunctionFactory(organization=personas.org, name="Finance")
    TeamMembership.objects.filter(team=team).update(job_role=sales)

    data = as_member.get(url("api-team", pk=team.pk)).json()

    assert data["members"][0]["function"]["name"] == "Sales"
    assert data["members"][0]["membership"]["id"] == personas.member.pk
    assert [f["name"] for f in data["function_coverage"]["present"]] == ["Sales"]
    assert [f["name"] for f in data["function_coverage"]["missing"]] == ["Finance"]
    assert data["function_coverage"]["is_cross_functional"] is False
    assert [c["commitment"] for c in data["commitments"]] == list(Commitment.values)


def test_team_manager_changes_mission(team, as_manager):
    response = as_manager.patch(url("api-team", pk=team.pk), {"mission": "Fewer, happier customers."})

    assert response.status_code == 200
    team.refresh_from_db()
    assert team.mission == "Fewer, happier customers."


def test_manager_of_another_team_cannot_change_it(other_team, as_manager):
    response = as_manager.patch(url("api-team", pk=other_team.pk), {"mission": "Mine now"})

    assert response.status_code == 403
    other_team.refresh_from_db()
    assert other_team.mission != "Mine now"


def test_team_manager_cannot_change_who_manages_the_team(personas, team, as_manager):
    response = as_manager.patch(
        url("api-team", pk=team.pk), {"name": "Renamed", "managers": [personas.admin.pk]}, format="json"
    )

    assert response.status_code == 403
    team.refresh_from_db()
    assert team.name == "Northwind"
    assert list(team.managers.all()) == [personas.manager]


def test_another_organisations_team_is_not_found(globex_team, as_admin):
    assert as_admin.get(url("api-team", pk=globex_team.pk)).status_code == 404
    assert as_admin.post(url("api-team-stage", pk=globex_team.pk), {"stage": "developing"}).status_code == 404
    assert as_admin.get(url("api-team-members", team_pk=globex_team.pk)).status_code == 404


def test_member_changing_another_organisations_team_is_not_found_not_forbidden(globex_team, as_member):
    assert as_member.patch(url("api-team", pk=globex_team.pk), {"name": "x"}).status_code == 404
    assert as_member.post(url("api-team-members", team_pk=globex_team.pk), {}).status_code == 404


def test_stage_change_is_recorded_in_history(personas, team, as_manager):
    response = as_manager.post(url("api-team-stage", pk=team.pk), {"stage": "developing", "note": "Ready"})

    assert response.status_code == 200
    assert response.json()["stage"] == "developing"
    history = as_manager.get(url("api-team-stage-changes", team_pk=team.pk)).json()["results"]
    assert [(h["from_stage"], h["to_stage"], h["note"]) for h in history] == [("forming", "developing", "Ready")]
    assert history[0]["changed_by"]["id"] == personas.manager.pk


def test_stage_change_to_the_same_stage_is_a_field_error(team, as_manager):
    response = as_manager.post(url("api-team-stage", pk=team.pk), {"stage": "forming"})

    assert response.status_code == 400
    assert "stage" in fields_of(response)
    assert not StageChange.objects.exists()


@pytest.mark.parametrize("method", ["put", "post"])
def test_team_manager_records_a_kept_commitment(team, as_manager, method):
    body = {"commitment": "customer_first", "is_kept": True, "kept_since": "2026-01-05", "note": "NPS up"}

    response = getattr(as_manager, method)(url("api-team-commitments", pk=team.pk), body, format="json")

    assert response.status_code == 200
    assert response.json()["kept_since"] == "2026-01-05"
    row = as_manager.get(url("api-team", pk=team.pk)).json()["commitments"][0]
    assert (row["commitment"], row["is_kept"], row["note"]) == ("customer_first", True, "NPS up")


def test_unknown_commitment_is_a_field_error(team, as_manager):
    response = as_manager.put(url("api-team-commitments", pk=team.pk), {"commitment": "world_peace", "is_kept": True})

    assert response.status_code == 400
    assert "commitment" in fields_of(response)
    assert not team.commitments.exists()


def test_member_cannot_change_a_stage(team, as_member):
    assert as_member.post(url("api-team-stage", pk=team.pk), {"stage": "developing"}).status_code == 403
    team.refresh_from_db()
    assert team.stage == Stage.FORMING


# --- Team members ---------------------------------------------------------------------------------


def test_manager_adds_a_member_whose_role_template_becomes_theirs(personas, team, as_manager):
    role = JobRoleFactory(organization=personas.org)
    RoleCriterionFactory(role=role, looks_like="Knows the customer")
    newcomer = MembershipFactory(organization=personas.org)

    response = as_manager.post(
        url("api-team-members", team_pk=team.pk), {"membership": newcomer.pk, "job_role": role.pk}, format="json"
    )

    assert response.status_code == 201
    added = response.json()
    assert added["job_role"]["id"] == role.pk
    criteria = as_manager.get(url("api-team-member-criteria", team_membership_pk=added["id"])).json()["results"]
    assert [c["looks_like"] for c in criteria] == ["Knows the customer"]


def test_adding_another_organisations_person_is_a_field_error_and_nothing_saved(personas, team, as_manager):
    response = as_manager.post(
        url("api-team-members", team_pk=team.pk), {"membership": personas.outsider.pk}, format="json"
    )

    assert response.status_code == 400
    assert "membership" in fields_of(response)
    assert team.memberships.count() == 1


def test_adding_with_another_organisations_role_is_a_field_error(personas, team, as_manager):
    theirs = JobRoleFactory(organization=personas.other_org)
    body = {"membership": personas.admin.pk, "job_role": theirs.pk}

    response = as_manager.post(url("api-team-members", team_pk=team.pk), body, format="json")

    assert response.status_code == 400
    assert "job_role" in fields_of(response)
    assert team.memberships.count() == 1


def test_adding_someone_already_on_the_team_is_a_field_error(personas, team, as_manager):
    response = as_manager.post(url("api-team-members", team_pk=team.pk), {"membership": personas.member.pk})

    assert response.status_code == 400
    assert "membership" in fields_of(response)


def test_manager_of_another_team_cannot_add_to_it(personas, other_team, as_manager):
    response = as_manager.post(url("api-team-members", team_pk=other_team.pk), {"membership": personas.member.pk})

    assert response.status_code == 403
    assert not other_team.memberships.exists()


def test_manager_changes_a_members_role_and_removes_them(personas, team, as_manager):
    seat = team.memberships.get()
    role = JobRoleFactory(organization=personas.org)

    changed = as_manager.patch(url("api-team-member", pk=seat.pk), {"team_role": "lead", "job_role": role.pk})
    assert changed.status_code == 200
    assert (changed.json()["team_role"], changed.json()["job_role"]["id"]) == ("lead", role.pk)

    assert as_manager.delete(url("api-team-member", pk=seat.pk)).status_code == 204
    assert not team.memberships.exists()


# --- Excellence -----------------------------------------------------------------------------------


def test_member_edits_their_own_excellence_and_it_is_in_the_history(personas, team, as_member):
    seat = team.memberships.get(membership=personas.member)

    added = as_member.post(
        url("api-team-member-criteria", team_membership_pk=seat.pk), {"looks_like": "Calm", "measure": "No escalations"}
    )
    assert added.status_code == 201
    changed = as_member.patch(url("api-criterion", pk=added.json()["id"]), {"measure": "Two escalations at most"})
    assert changed.json()["measure"] == "Two escalations at most"
    assert as_member.delete(url("api-criterion", pk=added.json()["id"])).status_code == 204

    history = as_member.get(url("api-team-member-excellence-history", team_membership_pk=seat.pk)).json()["results"]
    assert [h["action"] for h in history] == ["deleted", "updated", "created"]
    assert history[1]["before"]["measure"] == "No escalations"


def test_member_cannot_edit_someone_elses_excellence(personas, other_team, as_member):
    seat = TeamMembershipFactory(team=other_team)
    criterion = ExcellenceCriterionFactory(team_membership=seat, measure="Theirs")

    added = as_member.post(
        url("api-team-member-criteria", team_membership_pk=seat.pk), {"looks_like": "a", "measure": "b"}
    )
    changed = as_member.patch(url("api-criterion", pk=criterion.pk), {"measure": "Mine"})
    deleted = as_member.delete(url("api-criterion", pk=criterion.pk))

    assert (added.status_code, changed.status_code, deleted.status_code) == (403, 403, 403)
    criterion.refresh_from_db()
    assert criterion.measure == "Theirs"
    assert seat.criteria.count() == 1
    assert not ExcellenceChange.objects.exists()


def test_blank_criterion_is_a_field_error_and_nothing_saved(personas, team, as_member):
    seat = team.memberships.get(membership=personas.member)

    response = as_member.post(url("api-team-member-criteria", team_membership_pk=seat.pk), {"looks_like": ""})

    assert response.status_code == 400
    assert set(fields_of(response)) == {"looks_like", "measure"}
    assert not ExcellenceCriterion.objects.exists()


# --- Goals, key results, check-ins ----------------------------------------------------------------


def goal_body(**extra):
    return {"title": "Delight", "period_start": "2026-01-01", "period_end": "2026-03-31", **extra}


def test_admin_creates_an_org_goal_and_manager_aligns_a_team_goal(personas, team, as_admin, as_manager):
    org_goal = as_admin.post(url("api-goals"), goal_body(), format="json")
    assert org_goal.status_code == 201
    assert org_goal.json()["level"] == "org"

    team_goal = as_manager.post(
        url("api-goals"), goal_body(team=team.pk, parent=org_goal.json()["id"], owner=personas.member.pk), format="json"
    )

    assert team_goal.status_code == 201
    assert (team_goal.json()["level"], team_goal.json()["parent"]) == ("team", org_goal.json()["id"])


def test_manager_cannot_create_an_org_goal(as_manager):
    assert as_manager.post(url("api-goals"), goal_body(), format="json").status_code == 403
    assert not Goal.objects.exists()


def test_manager_of_another_team_cannot_set_its_goals(personas, other_team, as_manager):
    parent = GoalFactory(organization=personas.org)

    response = as_manager.post(url("api-goals"), goal_body(team=other_team.pk, parent=parent.pk), format="json")

    assert response.status_code == 403
    assert Goal.objects.count() == 1


def test_team_goal_with_another_organisations_parent_is_a_field_error(personas, team, as_manager):
    theirs = GoalFactory(organization=personas.other_org)

    response = as_manager.post(url("api-goals"), goal_body(team=team.pk, parent=theirs.pk), format="json")

    assert response.status_code == 400
    assert "parent" in fields_of(response)
    assert Goal.objects.count() == 1


def test_goal_ending_before_it_starts_is_refused_and_nothing_saved(as_admin):
    response = as_admin.post(url("api-goals"), goal_body(period_end="2025-12-31"), format="json")

    assert response.status_code == 400
    assert "period must end" in response.json()["error"]["message"]
    assert not Goal.objects.exists()


def test_goals_filter_by_level_team_and_status(personas, team, as_member):
    org_goal = GoalFactory(organization=personas.org, status=Goal.Status.ON_TRACK)
    team_goal = GoalFactory(organization=personas.org, team=team, parent=org_goal, status=Goal.Status.AT_RISK)

    def ids(**params):
        return [g["id"] for g in as_member.get(url("api-goals"), params).json()["results"]]

    assert ids(level="org") == [org_goal.pk]
    assert ids(level="team") == [team_goal.pk]
    assert ids(team=team.pk) == [team_goal.pk]
    assert ids(status="on_track") == [org_goal.pk]


def test_goal_owner_who_is_a_member_edits_it(personas, as_member):
    goal = GoalFactory(organization=personas.org, owner=personas.member)

    response = as_member.patch(url("api-goal", pk=goal.pk), {"status": "on_track"})

    assert response.status_code == 200
    goal.refresh_from_db()
    assert goal.status == Goal.Status.ON_TRACK


def test_member_who_does_not_own_a_goal_cannot_delete_it(personas, as_member):
    goal = GoalFactory(organization=personas.org)

    assert as_member.delete(url("api-goal", pk=goal.pk)).status_code == 403
    assert Goal.objects.filter(pk=goal.pk).exists()


def test_key_result_starts_at_baseline_and_check_in_moves_current_and_progress(personas, as_admin):
    goal = GoalFactory(organization=personas.org)
    created = as_admin.post(
        url("api-goal-key-results", goal_pk=goal.pk),
        {"title": "NPS", "baseline": "10", "target": "50", "unit": "pts"},
        format="json",
    )
    assert created.status_code == 201
    assert (created.json()["current"], created.json()["progress"], created.json()["direction"]) == ("10.00", 0, "up")

    check_in = as_admin.post(
        url("api-key-result-check-ins", key_result_pk=created.json()["id"]), {"value": "30", "note": "Halfway"}
    )

    assert check_in.status_code == 201
    assert (check_in.json()["key_result"]["current"], check_in.json()["key_result"]["progress"]) == ("30.00", 50)
    key_result = as_admin.get(url("api-key-result", pk=created.json()["id"])).json()
    assert (key_result["current"], key_result["progress"]) == ("30.00", 50)
    goal_progress = as_admin.get(url("api-goal", pk=goal.pk)).json()["key_results"][0]["progress"]
    assert goal_progress == 50


def test_check_ins_are_listed_oldest_first(personas, as_member):
    key_result = KeyResultFactory(goal=GoalFactory(organization=personas.org))
    now = timezone.now()
    newer = CheckInFactory(key_result=key_result, value=Decimal("30"), created_at=now)
    older = CheckInFactory(key_result=key_result, value=Decimal("20"), created_at=now - timedelta(days=7))

    results = as_member.get(url("api-key-result-check-ins", key_result_pk=key_result.pk)).json()["results"]

    assert [c["id"] for c in results] == [older.pk, newer.pk]


def test_key_result_with_target_equal_to_baseline_is_a_target_error(personas, as_admin):
    goal = GoalFactory(organization=personas.org)

    response = as_admin.post(
        url("api-goal-key-results", goal_pk=goal.pk), {"title": "Flat", "baseline": "5", "target": "5"}
    )

    assert response.status_code == 400
    assert "target" in fields_of(response)
    assert not KeyResult.objects.exists()


def test_member_cannot_check_in_on_a_goal_they_do_not_own(personas, as_member):
    key_result = KeyResultFactory(goal=GoalFactory(organization=personas.org))

    response = as_member.post(url("api-key-result-check-ins", key_result_pk=key_result.pk), {"value": "40"})

    assert response.status_code == 403
    assert not CheckIn.objects.exists()
    key_result.refresh_from_db()
    assert key_result.current == key_result.baseline


def test_another_organisations_key_result_is_not_found(personas, as_admin):
    theirs = KeyResultFactory(goal=GoalFactory(organization=personas.other_org))

    assert as_admin.get(url("api-key-result", pk=theirs.pk)).status_code == 404
    assert as_admin.post(url("api-key-result-check-ins", key_result_pk=theirs.pk), {"value": "1"}).status_code == 404
    assert not CheckIn.objects.exists()


# --- My strengths, endorsements, the directory ----------------------------------------------------


def test_member_marks_relevels_and_removes_their_own_strength(personas, as_member):
    sql = StrengthFactory(organization=personas.org, name="SQL")

    first = as_member.post(url("api-my-strengths"), {"strength": sql.pk, "level": 2})
    again = as_member.post(url("api-my-strengths"), {"strength": sql.pk, "level": 4})

    assert (first.status_code, again.status_code) == (201, 201)
    mine = as_member.get(url("api-my-strengths")).json()["results"]
    assert [(s["strength_name"], s["level"]) for s in mine] == [("SQL", 4)]
    assert as_member.delete(url("api-my-strength", pk=mine[0]["id"])).status_code == 204
    assert not MemberStrength.objects.exists()


def test_member_cannot_remove_someone_elses_strength(personas, as_member):
    theirs = MemberStrengthFactory(strength=StrengthFactory(organization=personas.org), membership=personas.manager)

    assert as_member.delete(url("api-my-strength", pk=theirs.pk)).status_code == 404
    assert MemberStrength.objects.filter(pk=theirs.pk).exists()


def test_marking_another_organisations_strength_is_a_field_error(personas, as_member):
    theirs = StrengthFactory(organization=personas.other_org)

    response = as_member.post(url("api-my-strengths"), {"strength": theirs.pk, "level": 3})

    assert response.status_code == 400
    assert "strength" in fields_of(response)
    assert not MemberStrength.objects.exists()


def test_bad_level_is_a_field_error(personas, as_member):
    sql = StrengthFactory(organization=personas.org)

    response = as_member.post(url("api-my-strengths"), {"strength": sql.pk, "level": 7})

    assert response.status_code == 400
    assert "level" in fields_of(response)


def test_colleague_endorses_once_and_withdraws(personas, as_member):
    theirs = MemberStrengthFactory(strength=StrengthFactory(organization=personas.org), membership=personas.manager)

    endorsed = as_member.post(url("api-member-strength-endorse", pk=theirs.pk))
    twice = as_member.post(url("api-member-strength-endorse", pk=theirs.pk))

    assert endorsed.status_code == 201
    assert (endorsed.json()["endorsement_count"], endorsed.json()["endorsed_by_me"]) == (1, True)
    assert twice.status_code == 400
    assert as_member.delete(url("api-member-strength-endorse", pk=theirs.pk)).status_code == 204
    assert not Endorsement.objects.exists()


def test_endorsing_your_own_strength_is_refused(personas, as_member):
    mine = MemberStrengthFactory(strength=StrengthFactory(organization=personas.org), membership=personas.member)

    assert as_member.post(url("api-member-strength-endorse", pk=mine.pk)).status_code == 400
    assert not Endorsement.objects.exists()


def test_endorsing_another_organisations_strength_is_not_found(personas, as_admin):
    theirs = MemberStrengthFactory(strength=StrengthFactory(organization=personas.other_org))

    assert as_admin.post(url("api-member-strength-endorse", pk=theirs.pk)).status_code == 404


def test_directory_finds_people_by_words_function_and_strength(personas, team, as_member):
    sql = StrengthFactory(organization=personas.org, name="SQL")
    MemberStrengthFactory(strength=sql, membership=personas.admin, level=4)
    role = JobRoleFactory(organization=personas.org, function__name="Finance")
    TeamMembership.objects.filter(membership=personas.member).update(job_role=role)

    def names(**params):
        return [p["user"]["full_name"] for p in as_member.get(url("api-directory"), params).json()["results"]]

    assert names() == ["Alice Admin", "Bob Manager", "Charlie Member"]
    assert names(q="sql") == ["Alice Admin"]
    assert names(strength=sql.pk) == ["Alice Admin"]
    assert names(function=role.function_id) == ["Charlie Member"]
    charlie = as_member.get(url("api-directory"), {"function": role.function_id}).json()["results"][0]
    assert charlie["teams"][0]["team"]["name"] == "Northwind"
    assert charlie["functions"] == [{"id": role.function_id, "name": "Finance"}]
    alice = as_member.get(url("api-directory"), {"q": "alice"}).json()["results"][0]
    assert alice["strengths"] == [
        {
            "id": alice["strengths"][0]["id"],
            "strength": {"id": sql.pk, "name": "SQL"},
            "level": 4,
            "endorsement_count": 0,
        }
    ]


# --- Bounded queries ------------------------------------------------------------------------------


def _rows(personas, name: str, n: int) -> dict:
    """Create ``n`` rows, with what each row shows nested, for the list ``name``; return URL kwargs."""
    org = personas.org
    if name == "api-values":
        ValueFactory.create_batch(n, organization=org)
    elif name == "api-functions":
        for _ in range(n):
            JobRoleFactory(organization=org)
    elif name == "api-roles":
        for _ in range(n):
            RoleCriterionFactory(role=JobRoleFactory(organization=org))
    elif name == "api-strengths":
        for _ in range(n):
            MemberStrengthFactory(strength=StrengthFactory(organization=org), membership__organization=org)
    elif name == "api-teams":
        for _ in range(n):
            TeamMembershipFactory(team=TeamFactory(organization=org, managers=[personas.manager]))
    elif name == "api-goals":
        for _ in range(n):
            KeyResultFactory(goal=GoalFactory(organization=org, owner=personas.admin))
    elif name == "api-directory":
        for _ in range(n):
            seat = TeamMembershipFactory(team=TeamFactory(organization=org), job_role=JobRoleFactory(organization=org))
            EndorsementFactory(
                member_strength=MemberStrengthFactory(
                    strength=StrengthFactory(organization=org), membership=seat.membership
                )
            )
    elif name == "api-my-strengths":
        for _ in range(n):
            EndorsementFactory(
                member_strength=MemberStrengthFactory(
                    strength=StrengthFactory(organization=org), membership=personas.admin
                ),
                endorser=MembershipFactory(organization=org),
            )
    else:
        return _nested_rows(personas, name, n)
    return {}


def _nested_rows(personas, name: str, n: int) -> dict:
    org = personas.org
    team, _ = Team.objects.get_or_create(organization=org, name="Counted")
    seat = TeamMembership.objects.filter(team=team).first() or TeamMembershipFactory(team=team)
    if name == "api-team-members":
        for _ in range(n):
            TeamMembershipFactory(team=team, job_role=JobRoleFactory(organization=org))
        return {"team_pk": team.pk}
    if name == "api-team-stage-changes":
        StageChangeFactory.create_batch(n, team=team, changed_by=personas.manager)
        return {"team_pk": team.pk}
    if name == "api-team-member-criteria":
        ExcellenceCriterionFactory.create_batch(n, team_membership=seat)
        return {"team_membership_pk": seat.pk}
    if name == "api-team-member-excellence-history":
        ExcellenceChangeFactory.create_batch(n, team_membership=seat)
        return {"team_membership_pk": seat.pk}
    if name == "api-key-result-check-ins":
        goal, _ = Goal.objects.get_or_create(
            organization=org,
            title="Counted",
            defaults={"period_start": date(2026, 1, 1), "period_end": date(2026, 3, 31)},
        )
        key_result = goal.key_results.first() or KeyResultFactory(goal=goal)
        CheckInFactory.create_batch(n, key_result=key_result, author=personas.manager)
        return {"key_result_pk": key_result.pk}
    assert name == "api-strength-holders"
    strength, _ = Strength.objects.get_or_create(organization=org, name="Counted")
    for _ in range(n):
        EndorsementFactory(
            member_strength=MemberStrengthFactory(strength=strength, membership__organization=org),
            endorser=personas.admin,
        )
    return {"strength_pk": strength.pk}


LISTS = [
    "api-values",
    "api-functions",
    "api-roles",
    "api-strengths",
    "api-teams",
    "api-goals",
    "api-directory",
    "api-my-strengths",
    "api-team-members",
    "api-team-stage-changes",
    "api-team-member-criteria",
    "api-team-member-excellence-history",
    "api-key-result-check-ins",
    "api-strength-holders",
]


def _count(client, path) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(context.captured_queries), [q["sql"] for q in context.captured_queries]


@pytest.mark.parametrize("name", LISTS)
def test_list_queries_do_not_grow_with_rows(personas, as_admin, name):
    kwargs = _rows(personas, name, 1)
    path = url(name, **kwargs)
    one, _ = _count(as_admin, path)

    _rows(personas, name, 5)
    many, sql = _count(as_admin, path)

    assert as_admin.get(path).json()["count"] >= 6
    assert many == one, "\n".join(sql)


def test_team_detail_queries_do_not_grow_with_members(personas, team, as_admin):
    path = url("api-team", pk=team.pk)
    one, _ = _count(as_admin, path)

    for _ in range(5):
        TeamMembershipFactory(team=team, job_role=JobRoleFactory(organization=personas.org))
    many, sql = _count(as_admin, path)

    assert many == one, "\n".join(sql)
