"""The Django admin for teams/ keeps the product's rules: writes go through the services
as the staff user's membership, and history stays read-only."""

from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.admin.sites import site
from django.urls import reverse

from accounts.tests.factories import MembershipFactory, UserFactory
from teamhub.lib.tenancy import Role
from teams import services
from teams.models import (
    CheckIn,
    Endorsement,
    ExcellenceChange,
    Function,
    JobRole,
    KeyResult,
    MemberStrength,
    StageChange,
    Team,
    TeamMembership,
    Value,
)
from teams.models import __all__ as TEAMS_MODELS
from teams.tests.factories import (
    CheckInFactory,
    EndorsementFactory,
    ExcellenceChangeFactory,
    FunctionFactory,
    GoalFactory,
    JobRoleFactory,
    MemberStrengthFactory,
    RoleCriterionFactory,
    StageChangeFactory,
    TeamFactory,
    ValueFactory,
)

pytestmark = pytest.mark.django_db


def _url(model, action, *args):
    return reverse(f"admin:teams_{model._meta.model_name}_{action}", args=args)


def _make_staff(user):
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.fixture
def staff(personas, client):
    """Alice, an admin of Acme, is also a superuser of the site."""
    client.force_login(_make_staff(personas.admin.user))
    return client


def _errors(response) -> str:
    form = response.context["adminform"].form
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _value_post(personas, **overrides):
    return {
        "organization": personas.org.pk,
        "name": "Own it end to end",
        "description": "No customer need gets dropped between us.",
        "order": 0,
        "is_active": "on",
        **overrides,
    }


def test_every_teams_model_is_registered_in_the_admin():
    import teams.models

    registered = {model for model in site._registry if model._meta.app_label == "teams"}

    assert registered == {getattr(teams.models, name) for name in TEAMS_MODELS if name not in {"Stage", "Commitment"}}


@pytest.mark.parametrize("name", [n for n in TEAMS_MODELS if n not in {"Stage", "Commitment"}])
def test_each_admin_list_page_renders(staff, personas, name):
    import teams.models

    model = getattr(teams.models, name)

    assert staff.get(_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize(
    "model",
    [
        "Value",
        "Function",
        "JobRole",
        "RoleCriterion",
        "Strength",
        "Goal",
        "KeyResult",
        "Team",
        "TeamMembership",
        "ExcellenceCriterion",
        "TeamCommitment",
    ],
)
def test_each_add_page_renders_for_configurable_models(staff, model):
    import teams.models

    assert staff.get(_url(getattr(teams.models, model), "add")).status_code == 200


def test_a_roles_page_shows_its_excellence_template(staff, personas):
    role = JobRoleFactory(organization=personas.org)
    RoleCriterionFactory(role=role, looks_like="Quotes the same day", measure="Median under 8 h")

    response = staff.get(_url(JobRole, "change", role.pk))

    assert "Quotes the same day — Median under 8 h" in response.content.decode()


def test_adding_a_value_in_the_admin_goes_through_the_service(staff, personas):
    with mock.patch("teams.admin.services.value_create", wraps=services.value_create) as value_create:
        response = staff.post(_url(Value, "add"), _value_post(personas))

    assert response.status_code == 302, _errors(response)
    value = Value.objects.get()
    assert (value.organization, value.name) == (personas.org, "Own it end to end")
    assert value_create.call_args.kwargs["actor"] == personas.admin


def test_adding_a_duplicate_value_in_the_admin_is_refused_with_a_message(staff, personas):
    ValueFactory(organization=personas.org, name="Customer first")

    response = staff.post(_url(Value, "add"), _value_post(personas, name="CUSTOMER FIRST"))

    assert response.status_code == 200
    assert "already exists" in _errors(response)
    assert Value.objects.count() == 1


def test_renaming_a_value_to_a_taken_name_in_the_admin_is_refused_by_the_service(staff, personas):
    ValueFactory(organization=personas.org, name="Customer first")
    value = ValueFactory(organization=personas.org, name="Keep it simple")

    with mock.patch("teams.admin.services.value_update", wraps=services.value_update) as value_update:
        response = staff.post(_url(Value, "change", value.pk), _value_post(personas, name="customer FIRST"))

    assert response.status_code == 200
    assert "A value with this name already exists." in _errors(response)
    assert value_update.called
    assert Value.objects.get(pk=value.pk).name == "Keep it simple"


def test_archiving_a_value_in_the_admin_keeps_it(staff, personas):
    value = ValueFactory(organization=personas.org, name="Keep it simple")

    response = staff.post(_url(Value, "change", value.pk), _value_post(personas, name="Keep it simple", is_active=""))

    assert response.status_code == 302, _errors(response)
    assert Value.objects.get(pk=value.pk).is_active is False
    assert staff.get(_url(Value, "delete", value.pk)).status_code == 403


def test_a_superuser_who_is_only_a_manager_here_is_refused_admin_only_changes(client, personas):
    client.force_login(_make_staff(personas.manager.user))

    response = client.post(_url(Value, "add"), _value_post(personas))

    assert response.status_code == 200
    assert "admin role" in _errors(response)
    assert not Value.objects.exists()


def test_a_superuser_without_a_membership_in_the_organisation_is_refused(client, personas):
    client.force_login(_make_staff(UserFactory()))
    value = ValueFactory(organization=personas.org, name="Keep it simple")

    add = client.post(_url(Value, "add"), _value_post(personas))
    change = client.post(_url(Value, "change", value.pk), _value_post(personas, name="Mine now"))

    assert "no active membership in Acme" in _errors(add)
    assert "no active membership in Acme" in _errors(change)
    assert list(Value.objects.values_list("name", flat=True)) == ["Keep it simple"]


def test_deleting_a_function_with_roles_in_the_admin_is_refused(staff, personas):
    role = JobRoleFactory(organization=personas.org)

    response = staff.post(_url(Function, "delete", role.function_id), {"post": "yes"})

    assert response.status_code == 200  # the confirmation page, naming the roles in the way
    assert Function.objects.filter(pk=role.function_id).exists()


def test_a_delete_the_service_refuses_is_shown_as_an_error_and_changes_nothing(client, personas):
    client.force_login(_make_staff(personas.manager.user))
    function = FunctionFactory(organization=personas.org)

    response = client.post(_url(Function, "delete", function.pk), {"post": "yes"}, follow=True)

    assert "admin role" in " ".join(str(m) for m in response.context["messages"])
    assert response.redirect_chain[-1][0] == _url(Function, "change", function.pk)
    assert Function.objects.filter(pk=function.pk).exists()
    assert not LogEntry.objects.exists()  # the deletion was never logged either


def test_deleting_an_empty_function_in_the_admin_goes_through_the_service(staff, personas):
    function = FunctionFactory(organization=personas.org)

    with mock.patch("teams.admin.services.function_delete", wraps=services.function_delete) as function_delete:
        response = staff.post(_url(Function, "delete", function.pk), {"post": "yes"})

    assert response.status_code == 302
    assert function_delete.called
    assert not Function.objects.exists()


def test_creating_a_team_in_the_admin_sets_its_managers_through_the_service(staff, personas):
    response = staff.post(
        _url(Team, "add"),
        {"organization": personas.org.pk, "name": "Trailhead", "mission": "Shops", "managers": [personas.manager.pk]},
    )

    assert response.status_code == 302, _errors(response)
    team = Team.objects.get()
    assert (team.stage, list(team.managers.all())) == ("forming", [personas.manager])


def test_creating_a_team_with_a_member_as_manager_is_refused_on_the_field(staff, personas):
    response = staff.post(
        _url(Team, "add"), {"organization": personas.org.pk, "name": "Trailhead", "managers": [personas.member.pk]}
    )

    assert "manager or admin role" in " ".join(response.context["adminform"].form.errors["managers"])
    assert not Team.objects.exists()


def test_changing_a_teams_stage_in_the_admin_records_the_history(staff, personas):
    team = TeamFactory(organization=personas.org, name="Trailhead")

    response = staff.post(_url(Team, "change", team.pk), {"name": "Trailhead", "mission": "", "stage": "developing"})

    assert response.status_code == 302, _errors(response)
    change = StageChange.objects.get()
    assert (change.from_stage, change.to_stage, change.changed_by) == ("forming", "developing", personas.admin)


def test_adding_a_key_result_with_a_contradicting_direction_is_refused_on_the_target(staff, personas):
    goal = GoalFactory(organization=personas.org)

    response = staff.post(
        _url(KeyResult, "add"),
        {
            "goal": goal.pk,
            "title": "Faster",
            "kind": "process",
            "unit": "h",
            "baseline": "52",
            "target": "24",
            "direction": "up",
            "order": 0,
        },
    )

    assert "target must be above the baseline" in _errors(response)
    assert not KeyResult.objects.exists()


def test_adding_a_key_result_in_the_admin_starts_at_its_baseline(staff, personas):
    goal = GoalFactory(organization=personas.org)

    response = staff.post(
        _url(KeyResult, "add"),
        {
            "goal": goal.pk,
            "title": "Faster",
            "kind": "process",
            "unit": "h",
            "baseline": "52",
            "target": "24",
            "direction": "down",
            "order": 0,
        },
    )

    assert response.status_code == 302, _errors(response)
    assert KeyResult.objects.get().current == Decimal("52")


def test_putting_someone_on_a_team_in_the_admin_copies_their_roles_template(staff, personas):
    team = TeamFactory(organization=personas.org)
    role = JobRoleFactory(organization=personas.org)
    RoleCriterionFactory.create_batch(3, role=role)

    response = staff.post(
        _url(TeamMembership, "add"),
        {"team": team.pk, "membership": personas.member.pk, "team_role": "member", "job_role": role.pk},
    )

    assert response.status_code == 302, _errors(response)
    assert TeamMembership.objects.get().criteria.count() == 3
    assert ExcellenceChange.objects.filter(changed_by=personas.admin).count() == 3


def test_putting_someone_of_another_organisation_on_a_team_is_refused(staff, personas):
    team = TeamFactory(organization=personas.org)

    response = staff.post(
        _url(TeamMembership, "add"), {"team": team.pk, "membership": personas.outsider.pk, "team_role": "member"}
    )

    assert "active person of your organisation" in " ".join(response.context["adminform"].form.errors["membership"])
    assert not TeamMembership.objects.exists()


@pytest.fixture
def history(personas):
    return {
        CheckIn: CheckInFactory(key_result__goal__organization=personas.org),
        StageChange: StageChangeFactory(team__organization=personas.org),
        ExcellenceChange: ExcellenceChangeFactory(team_membership__team__organization=personas.org),
        Endorsement: EndorsementFactory(member_strength__strength__organization=personas.org),
        MemberStrength: MemberStrengthFactory(strength__organization=personas.org),
    }


@pytest.mark.parametrize("model", [CheckIn, StageChange, ExcellenceChange, Endorsement, MemberStrength])
def test_history_and_derived_rows_are_read_only_in_the_admin(staff, history, model):
    row = history[model]

    assert staff.get(_url(model, "change", row.pk)).status_code == 200  # viewable
    assert staff.get(_url(model, "add")).status_code == 403
    assert staff.post(_url(model, "change", row.pk), {}).status_code == 403
    assert staff.post(_url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


def test_history_rows_show_no_save_button(staff, history):
    response = staff.get(_url(CheckIn, "change", history[CheckIn].pk))

    assert b'name="_save"' not in response.content


def test_the_staff_users_membership_in_the_objects_organisation_is_the_actor(client, personas):
    """A superuser in two organisations acts as their membership in the object's one."""
    user = _make_staff(personas.outsider.user)
    MembershipFactory(user=user, organization=personas.org, role=Role.MEMBER)
    client.force_login(user)

    here = client.post(_url(Value, "add"), _value_post(personas))
    there = client.post(_url(Value, "add"), _value_post(personas, organization=personas.other_org.pk))

    assert "admin role" in _errors(here)
    assert there.status_code == 302
    assert list(Value.objects.values_list("organization", flat=True)) == [personas.other_org.pk]
