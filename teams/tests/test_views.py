"""Pages of the teams app, driven through the test client as each persona."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teams import services
from teams.models import (
    CheckIn,
    ExcellenceCriterion,
    Function,
    Goal,
    KeyResult,
    MemberStrength,
    RoleCriterion,
    StageChange,
    Team,
    TeamCommitment,
    TeamMembership,
    Value,
)
from teams.tests.view_factories import END, START, add_people, make_world

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def world(personas):
    return make_world(personas.admin, personas.manager, personas.member)


@pytest.fixture
def other_world(personas):
    from accounts.tests.factories import MembershipFactory

    other_member = MembershipFactory(organization=personas.other_org)
    return make_world(personas.outsider, None, other_member)


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _assert_constant_queries(client, url, grow) -> None:
    client.get(url)  # settle the session's current organisation
    few = _count_queries(client, url)
    grow()
    many = _count_queries(client, url)
    assert many == few, f"{url}: {few} queries with few rows, {many} with many"


# --- Navigation and home -------------------------------------------------------------------------


def test_nav_shows_configure_to_admins_only(client_for, personas):
    admin_page = client_for(personas.admin).get(reverse("home")).content.decode()
    member_page = client_for(personas.member).get(reverse("home")).content.decode()

    for page in (admin_page, member_page):
        assert reverse("teams:team_list") in page
        assert reverse("teams:goals") in page
        assert reverse("teams:directory") in page
    assert reverse("teams:values") in admin_page
    assert reverse("teams:values") not in member_page


def test_home_shows_the_members_own_excellence_and_teams(client_for, personas, world):
    response = client_for(personas.member).get(reverse("home"))

    content = response.content.decode()
    assert world.team.name in content
    assert "Every customer hears back within a day" in content
    assert reverse("teams:member_excellence", args=[world.team_membership.pk]) in content


def test_home_queries_do_not_grow_with_teams_and_criteria(client_for, personas, world):
    def grow():
        for n in range(3):
            team = services.team_create(actor=personas.admin, name=f"Team {n}")
            services.team_member_add(
                actor=personas.admin, team=team, membership=personas.member, job_role=world.job_role
            )

    _assert_constant_queries(client_for(personas.member), reverse("home"), grow)


def test_home_without_a_team_says_so(client_for, personas):
    assert "You are not on a team yet" in client_for(personas.member).get(reverse("home")).content.decode()


# --- Configuration (admins) ----------------------------------------------------------------------


CONFIG_PAGES = [
    "teams:values",
    "teams:functions",
    "teams:roles",
    "teams:strengths",
    "teams:team_create",
    "teams:goal_create",
]


@pytest.mark.parametrize("name", CONFIG_PAGES)
def test_configuration_pages_open_for_admins(client_for, personas, name):
    assert client_for(personas.admin).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", CONFIG_PAGES)
@pytest.mark.parametrize("persona", ["manager", "member"])
def test_configuration_pages_refuse_managers_and_members(client_for, personas, name, persona):
    assert client_for(getattr(personas, persona)).get(reverse(name)).status_code == 403


def test_configuration_pages_show_empty_states(client_for, personas):
    client = client_for(personas.admin)

    assert "No values yet" in client.get(reverse("teams:values")).content.decode()
    assert "No functions yet" in client.get(reverse("teams:functions")).content.decode()
    assert "Add a function first" in client.get(reverse("teams:roles")).content.decode()
    assert "The catalogue is empty" in client.get(reverse("teams:strengths")).content.decode()


def test_admin_adds_a_value(client_for, personas):
    response = client_for(personas.admin).post(reverse("teams:values"), {"name": "Own it", "description": "Finish"})

    assert response.status_code == 302
    assert Value.objects.for_org(personas.org.pk).get().name == "Own it"


def test_value_with_a_taken_name_shows_the_error_and_saves_nothing(client_for, personas, world):
    response = client_for(personas.admin).post(reverse("teams:values"), {"name": world.value.name.upper()})

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["A value with this name already exists."]
    assert Value.objects.for_org(personas.org.pk).count() == 1


def test_admin_edits_and_reorders_a_value(client_for, personas, world):
    url = reverse("teams:value_update", args=[world.value.pk])
    response = client_for(personas.admin).post(url, {"name": "Customers first", "description": "", "order": 5})

    assert response.status_code == 302
    world.value.refresh_from_db()
    assert (world.value.name, world.value.order) == ("Customers first", 5)


def test_value_of_another_organisation_is_404_before_any_role_check(client_for, personas, other_world):
    url = reverse("teams:value_update", args=[other_world.value.pk])

    assert client_for(personas.admin).get(url).status_code == 404
    assert client_for(personas.member).post(url, {"name": "x"}).status_code == 404


def test_value_update_refuses_a_member(client_for, personas, world):
    url = reverse("teams:value_update", args=[world.value.pk])

    assert client_for(personas.member).post(url, {"name": "Mine"}).status_code == 403
    world.value.refresh_from_db()
    assert world.value.name != "Mine"


def test_archiving_a_value_with_htmx_returns_its_row(client_for, personas, world):
    url = reverse("teams:value_archive", args=[world.value.pk])
    response = client_for(personas.admin).post(url, {"action": "archive"}, headers=HTMX)

    content = response.content.decode().strip()
    assert content.startswith(f'<tr id="value-{world.value.pk}"')
    assert "<html" not in content
    assert "Archived" in content
    world.value.refresh_from_db()
    assert not world.value.is_active

    client_for(personas.admin).post(url, {"action": "restore"})
    world.value.refresh_from_db()
    assert world.value.is_active


def test_function_with_roles_is_not_deleted(client_for, personas, world):
    response = client_for(personas.admin).post(reverse("teams:function_delete", args=[world.function.pk]), follow=True)

    assert "still has roles" in response.content.decode()
    assert Function.objects.filter(pk=world.function.pk).exists()


def test_admin_renames_and_deletes_an_empty_function(client_for, personas):
    function = services.function_create(actor=personas.admin, name="Finance")
    client = client_for(personas.admin)

    client.post(reverse("teams:function_update", args=[function.pk]), {"name": "Money", "order": ""})
    function.refresh_from_db()
    assert function.name == "Money"
    client.post(reverse("teams:function_delete", args=[function.pk]))
    assert not Function.objects.filter(pk=function.pk).exists()


def test_admin_adds_a_role_and_lands_on_its_template(client_for, personas, world):
    data = {"function": world.function.pk, "name": "Team lead", "purpose": ""}
    response = client_for(personas.admin).post(reverse("teams:roles"), data)

    role = world.function.roles.get(name="Team lead")
    assert response.url == reverse("teams:role_detail", args=[role.pk])


def test_role_form_offers_only_this_organisations_functions(client_for, personas, world, other_world):
    data = {"function": other_world.function.pk, "name": "Spy", "purpose": ""}
    response = client_for(personas.admin).post(reverse("teams:roles"), data)

    assert response.status_code == 200
    assert "function" in response.context["form"].errors


def test_adding_a_role_criterion_with_htmx_returns_the_template_section(client_for, personas, world):
    url = reverse("teams:role_criterion_add", args=[world.job_role.pk])
    data = {"looks_like": "Customers feel heard", "measure": "CSAT above 90"}
    response = client_for(personas.admin).post(url, data, headers=HTMX)

    content = response.content.decode().strip()
    assert content.startswith('<section class="card" id="role-criteria"')
    assert "Customers feel heard" in content
    assert world.job_role.criteria.count() == 2


def test_an_empty_role_criterion_shows_the_error_and_saves_nothing(client_for, personas, world):
    url = reverse("teams:role_criterion_add", args=[world.job_role.pk])
    response = client_for(personas.admin).post(url, {"looks_like": "", "measure": "x"})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert world.job_role.criteria.count() == 1


def test_admin_edits_and_removes_a_role_criterion(client_for, personas, world):
    criterion = world.job_role.criteria.get()
    client = client_for(personas.admin)

    client.post(
        reverse("teams:role_criterion_update", args=[criterion.pk]), {"looks_like": "Same day", "measure": "Hours"}
    )
    criterion.refresh_from_db()
    assert criterion.looks_like == "Same day"
    client.post(reverse("teams:role_criterion_delete", args=[criterion.pk]))
    assert not RoleCriterion.objects.filter(pk=criterion.pk).exists()


def test_role_criterion_of_another_organisation_is_404(client_for, personas, other_world):
    criterion = other_world.job_role.criteria.get()
    url = reverse("teams:role_criterion_update", args=[criterion.pk])

    assert client_for(personas.admin).post(url, {"looks_like": "x", "measure": "y"}).status_code == 404
    assert client_for(personas.member).post(url, {"looks_like": "x", "measure": "y"}).status_code == 404


def test_role_criterion_update_refuses_a_manager(client_for, personas, world):
    criterion = world.job_role.criteria.get()
    url = reverse("teams:role_criterion_update", args=[criterion.pk])

    assert client_for(personas.manager).post(url, {"looks_like": "x", "measure": "y"}).status_code == 403


def test_strengths_catalogue_add_edit_delete(client_for, personas):
    client = client_for(personas.admin)

    client.post(reverse("teams:strengths"), {"name": "SQL", "kind": "skill", "description": ""})
    strength = personas.org.strengths.get()
    client.post(reverse("teams:strength_update", args=[strength.pk]), {"name": "SQL", "kind": "strength"})
    strength.refresh_from_db()
    assert strength.kind == "strength"
    client.post(reverse("teams:strength_delete", args=[strength.pk]))
    assert not personas.org.strengths.exists()


def test_admin_creates_a_team_with_managers(client_for, personas):
    data = {"name": "North", "mission": "Delight", "managers": [personas.manager.pk]}
    response = client_for(personas.admin).post(reverse("teams:team_create"), data)

    team = Team.objects.get(name="North")
    assert response.url == reverse("teams:team_detail", args=[team.pk])
    assert list(team.managers.all()) == [personas.manager]


def test_a_member_cannot_be_made_a_manager(client_for, personas):
    data = {"name": "North", "managers": [personas.member.pk]}
    response = client_for(personas.admin).post(reverse("teams:team_create"), data)

    assert "managers" in response.context["form"].errors
    assert not Team.objects.filter(name="North").exists()


def test_admin_changes_managers_but_a_manager_only_edits_name_and_mission(client_for, personas, world):
    url = reverse("teams:team_update", args=[world.team.pk])

    manager_form = client_for(personas.manager).get(url).context["form"]
    assert "managers" not in manager_form.fields
    client_for(personas.admin).post(url, {"name": world.team.name, "mission": "", "managers": [personas.admin.pk]})
    assert list(world.team.managers.all()) == [personas.admin]


def test_team_update_refuses_a_manager_of_another_team(client_for, personas, world):
    url = reverse("teams:team_update", args=[world.unmanaged_team.pk])

    assert client_for(personas.manager).post(url, {"name": "Mine"}).status_code == 403


# --- Goals ---------------------------------------------------------------------------------------


def test_goals_page_shows_the_tree_to_members(client_for, personas, world):
    response = client_for(personas.member).get(reverse("teams:goals"))

    content = response.content.decode()
    assert world.goal.title in content
    assert world.team_goal.title in content
    assert "Median reply hours" in content
    assert reverse("teams:goal_create") not in content  # members do not create goals


def test_goals_page_has_an_empty_state(client_for, personas):
    assert "No goals yet" in client_for(personas.member).get(reverse("teams:goals")).content.decode()


def test_goals_page_queries_do_not_grow_with_goals(client_for, personas, world):
    def grow():
        for n in range(4):
            goal = services.goal_create(actor=personas.admin, title=f"G{n}", period_start=START, period_end=END)
            services.goal_create(
                actor=personas.admin, team=world.team, parent=goal, title=f"T{n}", period_start=START, period_end=END
            )
            services.key_result_create(actor=personas.admin, goal=goal, title="KR", baseline=0, target=10)

    _assert_constant_queries(client_for(personas.member), reverse("teams:goals"), grow)


def test_admin_creates_an_organisation_goal(client_for, personas):
    data = {"title": "Grow", "period_start": "2026-01-01", "period_end": "2026-12-31", "status": "on_track"}
    response = client_for(personas.admin).post(reverse("teams:goal_create"), data)

    goal = Goal.objects.get(title="Grow")
    assert response.url == reverse("teams:goal_detail", args=[goal.pk])
    assert goal.team is None


def test_a_goal_ending_before_it_starts_shows_the_error_and_saves_nothing(client_for, personas):
    data = {"title": "Grow", "period_start": "2026-12-31", "period_end": "2026-01-01", "status": "on_track"}
    response = client_for(personas.admin).post(reverse("teams:goal_create"), data)

    assert response.status_code == 200
    assert "The period must end on or after its start." in response.content.decode()
    assert not Goal.objects.filter(title="Grow").exists()


def test_manager_creates_a_team_goal_aligned_to_an_organisation_goal(client_for, personas, world):
    data = {"title": "Reply fast", "parent": world.goal.pk, "period_start": "2026-01-01", "period_end": "2026-03-31"}
    data["status"] = "not_started"
    response = client_for(personas.manager).post(reverse("teams:team_goal_create", args=[world.team.pk]), data)

    goal = Goal.objects.get(title="Reply fast")
    assert response.status_code == 302
    assert (goal.team, goal.parent) == (world.team, world.goal)


def test_team_goal_create_refuses_a_manager_of_another_team_and_404s_another_org(
    client_for, personas, world, other_world
):
    client = client_for(personas.manager)

    assert client.get(reverse("teams:team_goal_create", args=[world.unmanaged_team.pk])).status_code == 403
    assert client.get(reverse("teams:team_goal_create", args=[other_world.team.pk])).status_code == 404


def test_goal_detail_passes_chart_data_as_json_script(client_for, personas, world):
    services.check_in_create(actor=personas.admin, key_result=world.key_result, value=Decimal(20), note="Rota")
    response = client_for(personas.member).get(reverse("teams:goal_detail", args=[world.team_goal.pk]))

    content = response.content.decode()
    assert f'<script id="kr-{world.key_result.pk}-series" type="application/json">' in content
    assert f'data-kr-chart="kr-{world.key_result.pk}-series"' in content
    assert "<script>" not in content  # CSP: no inline scripts
    assert "Rota" in content
    assert 'hx-post="' + reverse("teams:check_in_create", args=[world.key_result.pk]) not in content  # read-only


def test_goal_detail_of_another_organisation_is_404(client_for, personas, other_world):
    assert client_for(personas.admin).get(reverse("teams:goal_detail", args=[other_world.goal.pk])).status_code == 404


def test_goal_detail_queries_do_not_grow_with_key_results_and_check_ins(client_for, personas, world):
    def grow():
        for n in range(3):
            kr = services.key_result_create(
                actor=personas.admin, goal=world.team_goal, title=f"KR{n}", baseline=0, target=10
            )
            for value in range(4):
                services.check_in_create(actor=personas.manager, key_result=kr, value=Decimal(value))

    url = reverse("teams:goal_detail", args=[world.team_goal.pk])
    _assert_constant_queries(client_for(personas.manager), url, grow)


def test_team_manager_checks_in_and_current_follows(client_for, personas, world):
    url = reverse("teams:check_in_create", args=[world.key_result.pk])
    response = client_for(personas.manager).post(url, {"value": "12", "note": "New rota"})

    assert response.status_code == 302
    world.key_result.refresh_from_db()
    assert world.key_result.current == Decimal(12)
    assert world.key_result.check_ins.get().author == personas.manager


def test_check_in_with_htmx_returns_the_key_result_card(client_for, personas, world):
    url = reverse("teams:check_in_create", args=[world.key_result.pk])
    response = client_for(personas.manager).post(url, {"value": "12", "note": "New rota"}, headers=HTMX)

    content = response.content.decode().strip()
    assert content.startswith(f'<section class="card kr" id="kr-{world.key_result.pk}"')
    assert "<html" not in content
    assert "New rota" in content
    assert f'id="kr-{world.key_result.pk}-series"' in content


def test_check_in_with_a_bad_value_shows_the_error_and_saves_nothing(client_for, personas, world):
    url = reverse("teams:check_in_create", args=[world.key_result.pk])

    response = client_for(personas.manager).post(url, {"value": "lots"})
    assert response.status_code == 200
    assert "Enter a number." in response.content.decode()
    htmx_response = client_for(personas.manager).post(url, {"value": ""}, headers=HTMX)
    assert "This field is required." in htmx_response.content.decode()
    assert not CheckIn.objects.exists()


def test_check_in_refuses_a_member_and_404s_another_organisation(client_for, personas, world, other_world):
    assert (
        client_for(personas.member)
        .post(reverse("teams:check_in_create", args=[world.key_result.pk]), {"value": "1"})
        .status_code
        == 403
    )
    other_url = reverse("teams:check_in_create", args=[other_world.key_result.pk])
    assert client_for(personas.admin).post(other_url, {"value": "1"}).status_code == 404
    assert not CheckIn.objects.exists()


def test_key_result_with_a_target_on_the_wrong_side_shows_the_error(client_for, personas, world):
    url = reverse("teams:key_result_create", args=[world.team_goal.pk])
    data = {"title": "NPS", "kind": "result", "unit": "", "baseline": "20", "target": "10", "direction": "up"}
    response = client_for(personas.manager).post(url, data)

    assert response.status_code == 200
    assert "target" in response.context["form"].errors
    assert not KeyResult.objects.filter(title="NPS").exists()


def test_manager_adds_and_edits_a_key_result(client_for, personas, world):
    client = client_for(personas.manager)
    data = {"title": "NPS", "kind": "result", "unit": "", "baseline": "20", "target": "40", "direction": "up"}

    assert client.post(reverse("teams:key_result_create", args=[world.team_goal.pk]), data).status_code == 302
    key_result = KeyResult.objects.get(title="NPS")
    data["target"] = "50"
    client.post(reverse("teams:key_result_update", args=[key_result.pk]), data)
    key_result.refresh_from_db()
    assert key_result.target == Decimal(50)


def test_goal_update_refuses_a_member(client_for, personas, world):
    url = reverse("teams:goal_update", args=[world.goal.pk])

    assert client_for(personas.member).get(url).status_code == 403


# --- Teams ---------------------------------------------------------------------------------------


def test_team_list_shows_teams_with_stage_and_an_empty_state(client_for, personas):
    assert "No teams yet" in client_for(personas.member).get(reverse("teams:team_list")).content.decode()


def test_team_page_shows_members_coverage_and_commitments_read_only_to_members(client_for, personas, world):
    services.function_create(actor=personas.admin, name="Finance")
    response = client_for(personas.member).get(reverse("teams:team_detail", args=[world.team.pk]))

    content = response.content.decode()
    assert personas.member.user.full_name in content
    assert world.job_role.name in content
    assert "Finance" in response.context["coverage"]["missing"][0].name
    assert "Customer satisfaction is the top priority" in content
    assert reverse("teams:team_stage", args=[world.team.pk]) not in content
    assert reverse("teams:team_member_add", args=[world.team.pk]) not in content


def test_team_page_of_another_organisation_is_404(client_for, personas, other_world):
    assert client_for(personas.admin).get(reverse("teams:team_detail", args=[other_world.team.pk])).status_code == 404


def test_team_page_queries_do_not_grow_with_members(client_for, personas, world):
    url = reverse("teams:team_detail", args=[world.team.pk])

    def grow():
        add_people(personas.org, 5, world=world, admin=personas.admin)
        services.team_stage_change(actor=personas.admin, team=world.team, stage="developing")
        services.team_stage_change(actor=personas.admin, team=world.team, stage="performing")
        services.team_commitment_set(actor=personas.admin, team=world.team, commitment="improves", is_kept=True)

    _assert_constant_queries(client_for(personas.manager), url, grow)


def test_team_list_queries_do_not_grow_with_teams(client_for, personas, world):
    def grow():
        for n in range(4):
            services.team_create(actor=personas.admin, name=f"Team {n}", managers=[personas.manager])
        add_people(personas.org, 3, world=world, admin=personas.admin)

    _assert_constant_queries(client_for(personas.member), reverse("teams:team_list"), grow)


def test_manager_changes_the_stage_with_a_note(client_for, personas, world):
    url = reverse("teams:team_stage", args=[world.team.pk])
    response = client_for(personas.manager).post(url, {"stage": "developing", "note": "Plans together"})

    assert response.status_code == 302
    change = StageChange.objects.get()
    assert (change.to_stage, change.note, change.changed_by) == ("developing", "Plans together", personas.manager)


def test_changing_to_the_same_stage_shows_the_error_and_records_nothing(client_for, personas, world):
    url = reverse("teams:team_stage", args=[world.team.pk])
    response = client_for(personas.manager).post(url, {"stage": "forming"})

    assert response.status_code == 200
    assert "stage" in response.context["stage_form"].errors
    assert not StageChange.objects.exists()


def test_stage_change_refuses_a_member_and_a_manager_of_another_team(client_for, personas, world):
    assert (
        client_for(personas.member)
        .post(reverse("teams:team_stage", args=[world.team.pk]), {"stage": "developing"})
        .status_code
        == 403
    )
    assert (
        client_for(personas.manager)
        .post(reverse("teams:team_stage", args=[world.unmanaged_team.pk]), {"stage": "developing"})
        .status_code
        == 403
    )


def test_ticking_a_commitment_with_htmx_returns_its_row(client_for, personas, world):
    url = reverse("teams:team_commitment", args=[world.team.pk, "customer_first"])
    response = client_for(personas.manager).post(url, {"is_kept": "on", "note": "NPS weekly"}, headers=HTMX)

    content = response.content.decode().strip()
    assert content.startswith('<li class="commitment is-kept" id="commitment-customer_first"')
    record = TeamCommitment.objects.get()
    assert record.is_kept and record.kept_since is not None and record.note == "NPS weekly"


def test_a_commitment_with_a_bad_date_shows_the_error_and_saves_nothing(client_for, personas, world):
    url = reverse("teams:team_commitment", args=[world.team.pk, "customer_first"])
    response = client_for(personas.manager).post(url, {"is_kept": "on", "kept_since": "someday"})

    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()
    assert not TeamCommitment.objects.exists()


def test_commitment_refuses_a_member_and_unknown_commitments_are_404(client_for, personas, world):
    url = reverse("teams:team_commitment", args=[world.team.pk, "customer_first"])

    assert client_for(personas.member).post(url, {"is_kept": "on"}).status_code == 403
    unknown = reverse("teams:team_commitment", args=[world.team.pk, "world_peace"])
    assert client_for(personas.manager).post(unknown, {"is_kept": "on"}).status_code == 404


def test_manager_adds_a_member_whose_criteria_come_from_the_role(client_for, personas, world):
    (newcomer,) = add_people(personas.org, 1)
    data = {"membership": newcomer.pk, "team_role": "lead", "job_role": world.job_role.pk}
    response = client_for(personas.manager).post(reverse("teams:team_member_add", args=[world.team.pk]), data)

    assert response.status_code == 302
    team_membership = TeamMembership.objects.get(membership=newcomer)
    assert team_membership.team_role == "lead"
    assert team_membership.criteria.count() == 1


def test_adding_someone_of_another_organisation_shows_the_error(client_for, personas, world, other_world):
    data = {"membership": personas.outsider.pk, "team_role": "member"}
    response = client_for(personas.manager).post(reverse("teams:team_member_add", args=[world.team.pk]), data)

    assert response.status_code == 200
    assert "membership" in response.context["member_form"].errors
    assert not TeamMembership.objects.filter(membership=personas.outsider, team=world.team).exists()


def test_changing_a_members_role_with_htmx_returns_their_row(client_for, personas, world):
    url = reverse("teams:team_member_update", args=[world.team_membership.pk])
    response = client_for(personas.manager).post(url, {"team_role": "lead", "job_role": ""}, headers=HTMX)

    content = response.content.decode().strip()
    assert content.startswith(f'<tr id="tm-{world.team_membership.pk}"')
    world.team_membership.refresh_from_db()
    assert (world.team_membership.team_role, world.team_membership.job_role) == ("lead", None)


def test_removing_a_member_refuses_members_and_works_for_managers(client_for, personas, world):
    url = reverse("teams:team_member_remove", args=[world.team_membership.pk])

    assert client_for(personas.member).post(url).status_code == 403
    assert client_for(personas.manager).post(url).status_code == 302
    assert not TeamMembership.objects.filter(pk=world.team_membership.pk).exists()


# --- Excellence ----------------------------------------------------------------------------------


def test_excellence_page_shows_criteria_and_history(client_for, personas, world):
    response = client_for(personas.member).get(reverse("teams:member_excellence", args=[world.team_membership.pk]))

    content = response.content.decode()
    assert "Every customer hears back within a day" in content
    assert "Added" in content
    assert response.context["can_edit"]


def test_person_adds_their_own_criterion_with_htmx(client_for, personas, world):
    url = reverse("teams:criterion_add", args=[world.team_membership.pk])
    data = {"looks_like": "Explains clearly", "measure": "Few reopened tickets"}
    response = client_for(personas.member).post(url, data, headers=HTMX)

    content = response.content.decode().strip()
    assert content.startswith('<div class="grid grid--two" id="excellence"')
    assert "Explains clearly" in content
    assert world.team_membership.excellence_changes.filter(changed_by=personas.member).exists()


def test_manager_edits_and_removes_a_criterion_and_history_keeps_before_and_after(client_for, personas, world):
    criterion = world.team_membership.criteria.get()
    client = client_for(personas.manager)

    client.post(reverse("teams:criterion_update", args=[criterion.pk]), {"looks_like": "Same day", "measure": "Hrs"})
    change = world.team_membership.excellence_changes.get(action="updated")
    assert change.before["looks_like"] == "Every customer hears back within a day"
    assert change.after["looks_like"] == "Same day"
    client.post(reverse("teams:criterion_delete", args=[criterion.pk]))
    assert not ExcellenceCriterion.objects.filter(pk=criterion.pk).exists()


def test_an_empty_criterion_shows_the_error_and_saves_nothing(client_for, personas, world):
    url = reverse("teams:criterion_add", args=[world.team_membership.pk])
    response = client_for(personas.member).post(url, {"looks_like": "", "measure": ""})

    assert response.status_code == 200
    assert response.context["add_form"].errors["looks_like"] == ["This field is required."]
    assert world.team_membership.criteria.count() == 1


def test_a_colleague_cannot_change_someone_elses_criteria(client_for, personas, world):
    (colleague,) = add_people(personas.org, 1)
    criterion = world.team_membership.criteria.get()

    client = client_for(colleague)
    assert (
        client.post(reverse("teams:criterion_add", args=[world.team_membership.pk]), {"looks_like": "x"}).status_code
        == 403
    )
    assert client.post(reverse("teams:criterion_delete", args=[criterion.pk])).status_code == 403
    page = client.get(reverse("teams:member_excellence", args=[world.team_membership.pk]))
    assert not page.context["can_edit"]


def test_excellence_of_another_organisation_is_404(client_for, personas, other_world):
    client = client_for(personas.admin)
    criterion = other_world.team_membership.criteria.get()

    assert client.get(reverse("teams:member_excellence", args=[other_world.team_membership.pk])).status_code == 404
    assert client.post(reverse("teams:criterion_delete", args=[criterion.pk])).status_code == 404


def test_excellence_page_queries_do_not_grow_with_criteria_and_history(client_for, personas, world):
    def grow():
        for n in range(5):
            services.criterion_add(
                actor=personas.member, team_membership=world.team_membership, looks_like=f"C{n}", measure="M"
            )

    url = reverse("teams:member_excellence", args=[world.team_membership.pk])
    _assert_constant_queries(client_for(personas.member), url, grow)


# --- Directory and strengths ---------------------------------------------------------------------


def test_directory_answers_who_is_strong_at_a_strength(client_for, personas, world):
    response = client_for(personas.manager).get(reverse("teams:directory"), {"strength": world.strength.pk})

    content = response.content.decode()
    assert f"Who is strong at {world.strength.name}?" in content
    assert [m.pk for m in response.context["people"]] == [personas.member.pk]


def test_directory_searches_by_name_and_filters_by_function(client_for, personas, world):
    client = client_for(personas.member)

    by_name = client.get(reverse("teams:directory"), {"q": "bob"})
    assert [m.pk for m in by_name.context["people"]] == [personas.manager.pk]
    by_function = client.get(reverse("teams:directory"), {"function": world.function.pk})
    assert [m.pk for m in by_function.context["people"]] == [personas.member.pk]
    nobody = client.get(reverse("teams:directory"), {"q": "zzz"})
    assert "Nobody matches" in nobody.content.decode()


def test_directory_never_lists_another_organisations_people(client_for, personas, other_world):
    content = client_for(personas.admin).get(reverse("teams:directory")).content.decode()

    assert personas.outsider.user.email not in content


def test_directory_queries_do_not_grow_with_people(client_for, personas, world):
    url = reverse("teams:directory")

    _assert_constant_queries(
        client_for(personas.member), url, lambda: add_people(personas.org, 6, world=world, admin=personas.admin)
    )


def test_person_page_of_another_organisation_is_404(client_for, personas):
    assert client_for(personas.admin).get(reverse("teams:person", args=[personas.outsider.pk])).status_code == 404


def test_person_page_queries_do_not_grow_with_strengths(client_for, personas, world):
    def grow():
        for n in range(4):
            strength = services.strength_create(actor=personas.admin, name=f"S{n}")
            held = services.member_strength_set(actor=personas.member, strength=strength, level=2)
            services.endorsement_create(actor=personas.manager, member_strength=held)

    url = reverse("teams:person", args=[personas.member.pk])
    _assert_constant_queries(client_for(personas.admin), url, grow)


def test_member_adds_a_strength_with_htmx(client_for, personas, world):
    strength = services.strength_create(actor=personas.admin, name="Spanish")
    response = client_for(personas.member).post(
        reverse("teams:my_strength_set"), {"strength": strength.pk, "level": "5"}, headers=HTMX
    )

    content = response.content.decode().strip()
    assert content.startswith('<section class="card" id="strengths"')
    assert MemberStrength.objects.get(membership=personas.member, strength=strength).level == 5


def test_member_re_levels_and_removes_their_own_strength(client_for, personas, world):
    client = client_for(personas.member)

    client.post(reverse("teams:my_strength_set"), {"strength": world.strength.pk, "level": "2"})
    world.member_strength.refresh_from_db()
    assert world.member_strength.level == 2
    client.post(reverse("teams:my_strength_remove", args=[world.member_strength.pk]))
    assert not MemberStrength.objects.filter(pk=world.member_strength.pk).exists()


def test_a_bad_level_shows_the_error_and_saves_nothing(client_for, personas, world):
    response = client_for(personas.member).post(
        reverse("teams:my_strength_set"), {"strength": world.strength.pk, "level": "9"}
    )

    assert response.status_code == 200
    assert "level" in response.context["strength_form"].errors
    world.member_strength.refresh_from_db()
    assert world.member_strength.level == 4


def test_nobody_removes_someone_elses_strength(client_for, personas, world):
    url = reverse("teams:my_strength_remove", args=[world.member_strength.pk])

    assert client_for(personas.admin).post(url).status_code == 403
    assert MemberStrength.objects.filter(pk=world.member_strength.pk).exists()


def test_colleague_endorses_once_and_can_withdraw(client_for, personas, world):
    client = client_for(personas.manager)
    url = reverse("teams:endorse", args=[world.member_strength.pk])

    response = client.post(url, headers=HTMX)
    assert response.content.decode().strip().startswith('<section class="card" id="strengths"')
    again = client.post(url, follow=True)
    assert "You have already endorsed this strength." in again.content.decode()
    assert world.member_strength.endorsements.count() == 1
    client.post(reverse("teams:unendorse", args=[world.member_strength.pk]))
    assert world.member_strength.endorsements.count() == 0


def test_nobody_endorses_their_own_strength(client_for, personas, world):
    response = client_for(personas.member).post(reverse("teams:endorse", args=[world.member_strength.pk]))

    assert response.status_code == 403
    assert not world.member_strength.endorsements.exists()


def test_endorsing_another_organisations_strength_is_404(client_for, personas, other_world):
    response = client_for(personas.admin).post(reverse("teams:endorse", args=[other_world.member_strength.pk]))

    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(reverse("teams:directory"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
