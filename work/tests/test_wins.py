"""Wins: logging one (values, team, collaborators, account), the score outbox it feeds,
applause, spotlights and adoptions — who may, what bad input gets, what is left behind."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.tests.factories import MembershipFactory
from customers.tests.factories import CustomerAccountFactory
from outbox.models import DirtyScope
from teamhub.lib.tenancy import Role
from teams.models import TeamMembership
from teams.tests.factories import JobRoleFactory, TeamFactory, TeamMembershipFactory, ValueFactory
from work import services
from work.models import Adoption, Spotlight, Win, WinReaction
from work.tests.factories import SpotlightFactory, WinFactory, WinReactionFactory

pytestmark = pytest.mark.django_db

ORG = DirtyScope.ScopeType.ORGANIZATION
TEAM = DirtyScope.ScopeType.TEAM
ACCOUNT = DirtyScope.ScopeType.ACCOUNT
FUNCTION = DirtyScope.ScopeType.FUNCTION


@pytest.fixture
def acme(personas):
    """Bob manages Sales, where Charlie works; Dana manages Support, where Erin works."""
    p = personas
    p.other_manager = MembershipFactory(organization=p.org, role=Role.MANAGER, user__full_name="Dana Manager")
    p.sales = TeamFactory(organization=p.org, name="Sales", managers=[p.manager])
    p.support = TeamFactory(organization=p.org, name="Support", managers=[p.other_manager])
    TeamMembershipFactory(team=p.sales, membership=p.member)
    p.erin = TeamMembershipFactory(team=p.support, membership__user__full_name="Erin Support").membership
    p.kindness = ValueFactory(organization=p.org, name="Kindness")
    p.ownership = ValueFactory(organization=p.org, name="Ownership")
    return p


def _field_error(excinfo, field: str) -> str:
    errors = excinfo.value.message_dict
    assert field in errors, errors
    return " ".join(errors[field])


def _dirty():
    return set(DirtyScope.objects.values_list("scope_type", "scope_id"))


def _log(p, **kwargs):
    kwargs.setdefault("actor", p.member)
    kwargs.setdefault("title", "Renewed early")
    kwargs.setdefault("values", [p.kindness])
    return services.win_create(**kwargs)


# --- Logging a win ------------------------------------------------------------------------------


def test_win_create_needs_only_a_title_and_a_value_for_a_person_on_one_team(acme):
    win = services.win_create(actor=acme.member, title="Renewed early", values=[acme.kindness])

    assert win.team == acme.sales
    assert win.author == acme.member
    assert win.organization == acme.org
    assert list(win.values.all()) == [acme.kindness]
    assert win.created_at is not None


def test_win_create_keeps_every_field_given(acme):
    account = CustomerAccountFactory(organization=acme.org, owning_team=acme.sales)

    win = _log(
        acme,
        values=[acme.kindness, acme.ownership],
        story="They called twice.",
        impact="Renewal secured",
        account=account,
        collaborators=[acme.erin],
    )

    win.refresh_from_db()
    assert (win.story, win.impact, win.account) == ("They called twice.", "Renewal secured", account)
    assert set(win.values.all()) == {acme.kindness, acme.ownership}
    assert list(win.collaborators.all()) == [acme.erin]


def test_win_create_without_a_value_is_refused_on_values(acme):
    with pytest.raises(ValidationError) as excinfo:
        _log(acme, values=[])

    assert "at least one value" in _field_error(excinfo, "values")
    assert not Win.objects.exists()


def test_win_create_refuses_an_archived_value(acme):
    archived = ValueFactory(organization=acme.org, name="Old motto", is_active=False)

    with pytest.raises(ValidationError) as excinfo:
        _log(acme, values=[acme.kindness, archived])

    assert "Old motto" in _field_error(excinfo, "values")
    assert not Win.objects.exists()


def test_win_create_refuses_another_organisations_value(acme):
    foreign = ValueFactory(organization=acme.other_org)

    with pytest.raises(ValidationError) as excinfo:
        _log(acme, values=[foreign])

    assert "your organisation" in _field_error(excinfo, "values")
    assert not Win.objects.exists()


def test_win_create_without_a_team_is_refused_for_a_person_on_two_teams(acme):
    TeamMembershipFactory(team=acme.support, membership=acme.member)

    with pytest.raises(ValidationError) as excinfo:
        _log(acme)

    _field_error(excinfo, "team")
    assert not Win.objects.exists()


def test_win_create_without_a_team_is_refused_for_a_person_on_no_team(acme):
    with pytest.raises(ValidationError) as excinfo:
        _log(acme, actor=acme.admin)

    _field_error(excinfo, "team")


def test_win_create_takes_the_named_team_of_a_person_on_two(acme):
    TeamMembershipFactory(team=acme.support, membership=acme.member)

    assert _log(acme, team=acme.support).team == acme.support


def test_win_create_refuses_a_team_the_author_is_not_on(acme):
    with pytest.raises(ValidationError) as excinfo:
        _log(acme, team=acme.support)

    assert "team you are on" in _field_error(excinfo, "team")
    assert not Win.objects.exists()


def test_win_create_accepts_a_team_the_author_manages_without_being_on_it(acme):
    win = _log(acme, actor=acme.manager, team=acme.sales)

    assert win.team == acme.sales


def test_win_create_refuses_a_manager_for_a_team_they_do_not_manage(acme):
    with pytest.raises(ValidationError) as excinfo:
        _log(acme, actor=acme.manager, team=acme.support)

    _field_error(excinfo, "team")


def test_win_create_refuses_another_organisations_team(acme):
    foreign = TeamFactory(organization=acme.other_org)

    with pytest.raises(ValidationError) as excinfo:
        _log(acme, team=foreign)

    _field_error(excinfo, "team")
    assert not Win.objects.exists()


def test_win_create_refuses_an_inactive_collaborator(acme):
    gone = MembershipFactory(organization=acme.org, is_active=False)

    with pytest.raises(ValidationError) as excinfo:
        _log(acme, collaborators=[gone])

    _field_error(excinfo, "collaborators")
    assert not Win.objects.exists()


def test_win_create_refuses_another_organisations_collaborator(acme):
    with pytest.raises(ValidationError) as excinfo:
        _log(acme, collaborators=[acme.outsider])

    _field_error(excinfo, "collaborators")
    assert not Win.objects.exists()


def test_win_create_refuses_the_author_as_their_own_collaborator(acme):
    with pytest.raises(ValidationError) as excinfo:
        _log(acme, collaborators=[acme.erin, acme.member])

    assert "author" in _field_error(excinfo, "collaborators")
    assert not Win.objects.exists()


def test_win_create_refuses_another_organisations_account(acme):
    foreign = CustomerAccountFactory(organization=acme.other_org)

    with pytest.raises(ValidationError) as excinfo:
        _log(acme, account=foreign)

    _field_error(excinfo, "account")
    assert not Win.objects.exists()


def test_win_create_refuses_a_blank_title(acme):
    with pytest.raises(ValidationError) as excinfo:
        _log(acme, title="")

    _field_error(excinfo, "title")
    assert not Win.objects.exists()


# --- The score outbox ---------------------------------------------------------------------------


def test_win_create_marks_the_org_its_team_collaborators_teams_and_account_dirty(acme):
    account = CustomerAccountFactory(organization=acme.org, owning_team=acme.sales)
    unrelated = TeamFactory(organization=acme.org)

    _log(acme, account=account, collaborators=[acme.erin])

    assert _dirty() == {(ORG, acme.org.pk), (TEAM, acme.sales.pk), (TEAM, acme.support.pk), (ACCOUNT, account.pk)}
    assert unrelated.pk not in DirtyScope.objects.filter(scope_type=TEAM).values_list("scope_id", flat=True)
    assert set(DirtyScope.objects.values_list("organization_id", flat=True)) == {acme.org.pk}


def test_a_backdated_win_marks_the_periods_of_its_own_day(acme):
    """A win logged today about last month's work changes last month's scores."""
    last_month = dt.datetime(2026, 10, 14, 15, 0, tzinfo=dt.UTC)

    _log(acme, at=last_month)

    assert set(DirtyScope.objects.values_list("day", flat=True)) == {last_month.date()}


def test_win_create_marks_the_functions_of_the_author_and_collaborators_roles(acme):
    engineer = JobRoleFactory(organization=acme.org, name="Engineer")
    support_agent = JobRoleFactory(organization=acme.org, name="Support agent")
    TeamMembership.objects.filter(membership=acme.member).update(job_role=engineer)
    TeamMembership.objects.filter(membership=acme.erin).update(job_role=support_agent)
    JobRoleFactory(organization=acme.org, name="Unrelated")

    _log(acme, collaborators=[acme.erin])

    marked = set(DirtyScope.objects.filter(scope_type=FUNCTION).values_list("scope_id", flat=True))
    assert marked == {engineer.function_id, support_agent.function_id}


def test_win_create_without_account_or_collaborators_marks_only_org_and_team(acme):
    _log(acme)

    assert _dirty() == {(ORG, acme.org.pk), (TEAM, acme.sales.pk)}


def test_win_create_refused_marks_nothing_dirty(acme):
    with pytest.raises(ValidationError):
        _log(acme, values=[])

    assert not DirtyScope.objects.exists()


def test_win_create_and_its_dirty_marks_share_one_transaction(acme):
    """If marking the outbox fails, the win is not saved either: both or neither."""
    with (
        mock.patch("work.services.wins.mark_dirty", side_effect=RuntimeError("outbox down")),
        pytest.raises(RuntimeError),
    ):
        _log(acme, collaborators=[acme.erin])

    assert not Win.objects.exists()
    assert not Win.collaborators.through.objects.exists()
    assert not Win.values.through.objects.exists()


# --- Applause -----------------------------------------------------------------------------------


def test_win_react_applauds_a_colleagues_win_once(acme):
    win = WinFactory(organization=acme.org, author=acme.member, team=acme.sales)

    reaction = services.win_react(actor=acme.erin, win=win)

    assert (reaction.win, reaction.membership) == (win, acme.erin)
    with pytest.raises(ValidationError, match="already applauded"):
        services.win_react(actor=acme.erin, win=win)
    assert WinReaction.objects.filter(win=win).count() == 1


def test_win_react_counts_each_colleague_once(acme):
    win = WinFactory(organization=acme.org, author=acme.member, team=acme.sales)

    for colleague in (acme.erin, acme.manager, acme.admin):
        services.win_react(actor=colleague, win=win)

    assert WinReaction.objects.filter(win=win).count() == 3


def test_win_react_refuses_applause_for_your_own_win(acme):
    win = WinFactory(organization=acme.org, author=acme.member, team=acme.sales)

    with pytest.raises(ValidationError, match="own"):
        services.win_react(actor=acme.member, win=win)

    assert not WinReaction.objects.exists()


def test_win_react_refuses_another_organisation(acme):
    win = WinFactory(organization=acme.org, author=acme.member, team=acme.sales)

    with pytest.raises(PermissionDenied):
        services.win_react(actor=acme.outsider, win=win)

    assert not WinReaction.objects.exists()


def test_win_unreact_takes_back_only_my_applause(acme):
    win = WinFactory(organization=acme.org, author=acme.member, team=acme.sales)
    WinReactionFactory(win=win, membership=acme.erin)
    WinReactionFactory(win=win, membership=acme.manager)

    services.win_unreact(actor=acme.erin, win=win)

    assert list(WinReaction.objects.values_list("membership", flat=True)) == [acme.manager.pk]


def test_win_unreact_without_applause_changes_nothing_and_may_applaud_again(acme):
    win = WinFactory(organization=acme.org, author=acme.member, team=acme.sales)

    services.win_unreact(actor=acme.erin, win=win)
    services.win_react(actor=acme.erin, win=win)
    services.win_unreact(actor=acme.erin, win=win)
    services.win_react(actor=acme.erin, win=win)

    assert WinReaction.objects.filter(win=win).count() == 1


# --- Spotlight ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_win_spotlight_by_the_teams_manager_or_an_admin_keeps_the_note(acme, who):
    win = WinFactory(organization=acme.org, author=acme.member, team=acme.sales)

    spotlight = services.win_spotlight(actor=getattr(acme, who), win=win, note="  Asked before the customer did. ")

    assert (spotlight.win, spotlight.by, spotlight.note) == (win, getattr(acme, who), "Asked before the customer did.")


@pytest.mark.parametrize("who", ["member", "other_manager", "erin", "outsider"])
def test_win_spotlight_refuses_anyone_but_the_teams_managers(acme, who):
    win = WinFactory(organization=acme.org, author=acme.erin, team=acme.sales)

    with pytest.raises(PermissionDenied):
        services.win_spotlight(actor=getattr(acme, who), win=win, note="Great")

    assert not Spotlight.objects.exists()


@pytest.mark.parametrize("note", ["", "   "])
def test_win_spotlight_needs_a_note(acme, note):
    win = WinFactory(organization=acme.org, author=acme.member, team=acme.sales)

    with pytest.raises(ValidationError) as excinfo:
        services.win_spotlight(actor=acme.manager, win=win, note=note)

    _field_error(excinfo, "note")
    assert not Spotlight.objects.exists()


def test_win_spotlight_happens_once(acme):
    win = WinFactory(organization=acme.org, author=acme.member, team=acme.sales)
    services.win_spotlight(actor=acme.manager, win=win, note="First")

    with pytest.raises(ValidationError, match="already"):
        services.win_spotlight(actor=acme.admin, win=win, note="Second")

    assert Spotlight.objects.get(win=win).note == "First"


def test_two_managers_spotlighting_at_once_are_told_not_a_500(acme):
    win = WinFactory(organization=acme.org, author=acme.member, team=acme.sales)
    SpotlightFactory(win=win, by=acme.manager, note="First")  # landed between the check and the insert

    none_yet = mock.Mock(exists=mock.Mock(return_value=False))
    with (
        mock.patch.object(Spotlight.objects, "filter", return_value=none_yet),
        pytest.raises(ValidationError, match="already"),
    ):
        services.win_spotlight(actor=acme.admin, win=win, note="Second")

    assert Spotlight.objects.get(win=win).note == "First"


# --- Adoption -----------------------------------------------------------------------------------


@pytest.fixture
def spotlighted(acme):
    win = WinFactory(organization=acme.org, author=acme.member, team=acme.sales)
    SpotlightFactory(win=win, by=acme.manager)
    return win


@pytest.mark.parametrize("who", ["erin", "other_manager", "admin"])
def test_win_adopt_by_someone_on_or_managing_another_team(acme, spotlighted, who):
    adoption = services.win_adopt(actor=getattr(acme, who), win=spotlighted, team=acme.support, note="Tried it")

    assert (adoption.win, adoption.team, adoption.by, adoption.note) == (
        spotlighted,
        acme.support,
        getattr(acme, who),
        "Tried it",
    )


@pytest.mark.parametrize("who", ["member", "manager"])
def test_win_adopt_refuses_people_neither_on_nor_managing_the_adopting_team(acme, spotlighted, who):
    with pytest.raises(PermissionDenied):
        services.win_adopt(actor=getattr(acme, who), win=spotlighted, team=acme.support)

    assert not Adoption.objects.exists()


def test_win_adopt_refuses_a_win_not_in_the_spotlight(acme):
    win = WinFactory(organization=acme.org, author=acme.member, team=acme.sales)

    with pytest.raises(ValidationError, match="spotlighted"):
        services.win_adopt(actor=acme.erin, win=win, team=acme.support)

    assert not Adoption.objects.exists()


def test_win_adopt_refuses_the_wins_own_team(acme, spotlighted):
    with pytest.raises(ValidationError) as excinfo:
        services.win_adopt(actor=acme.member, win=spotlighted, team=acme.sales)

    assert "own win" in _field_error(excinfo, "team")
    assert not Adoption.objects.exists()


def test_win_adopt_happens_once_per_team(acme, spotlighted):
    services.win_adopt(actor=acme.erin, win=spotlighted, team=acme.support)

    with pytest.raises(ValidationError) as excinfo:
        services.win_adopt(actor=acme.other_manager, win=spotlighted, team=acme.support)

    assert "already adopted" in _field_error(excinfo, "team")
    assert Adoption.objects.filter(win=spotlighted).count() == 1


def test_win_adopt_by_several_teams_counts_each(acme, spotlighted):
    third = TeamFactory(organization=acme.org, name="Delivery")
    TeamMembershipFactory(team=third, membership=acme.erin)

    services.win_adopt(actor=acme.erin, win=spotlighted, team=acme.support)
    services.win_adopt(actor=acme.erin, win=spotlighted, team=third)

    assert set(Adoption.objects.values_list("team", flat=True)) == {acme.support.pk, third.pk}


def test_win_adopt_refuses_another_organisations_team_or_win(acme, spotlighted):
    foreign_team = TeamFactory(organization=acme.other_org)

    with pytest.raises(PermissionDenied):
        services.win_adopt(actor=acme.outsider, win=spotlighted, team=foreign_team)
    with pytest.raises(PermissionDenied):
        services.win_adopt(actor=acme.admin, win=spotlighted, team=foreign_team)

    assert not Adoption.objects.exists()
