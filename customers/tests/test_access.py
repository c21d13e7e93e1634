"""Who may see and change a customer account: everyone in the organisation finds it;
its owning team and admins read its details; the team's managers and admins change it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.tests.factories import MembershipFactory
from customers import access, services
from customers.models import Contact, CustomerAccount, FollowUp
from teamhub.lib.tenancy import Role
from teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(personas):
    """Bob manages Sales, where Charlie works; Dana manages Support, where Erin works.
    Sales owns Summit Supplies, with a contact and a follow-up."""
    p = personas
    p.other_manager = MembershipFactory(organization=p.org, role=Role.MANAGER, user__full_name="Dana Manager")
    p.other_member = MembershipFactory(organization=p.org, role=Role.MEMBER, user__full_name="Erin Member")
    p.sales = TeamFactory(organization=p.org, name="Sales", managers=[p.manager])
    p.support = TeamFactory(organization=p.org, name="Support", managers=[p.other_manager])
    TeamMembershipFactory(team=p.sales, membership=p.member)
    TeamMembershipFactory(team=p.support, membership=p.other_member)
    p.account = services.account_create(actor=p.manager, name="Summit Supplies", owning_team=p.sales)
    p.contact = services.contact_create(actor=p.member, account=p.account, name="Ruth Ellis")
    p.follow_up = services.follow_up_create(actor=p.member, account=p.account, summary="Late delivery")
    return p


# persona -> (has_full_access, can_manage_account) for an account Sales owns
TRUTH = {
    "admin": (True, True),
    "manager": (True, True),  # manages the owning team
    "member": (True, False),  # on the owning team
    "other_manager": (False, False),  # manages another team
    "other_member": (False, False),  # on another team
    "outsider": (False, False),  # admin of another organisation
}


@pytest.mark.parametrize(("persona", "expected"), TRUTH.items())
def test_full_access_and_management_follow_the_owning_team(acme, persona, expected):
    membership = getattr(acme, persona)

    assert (
        access.has_full_access(membership, acme.account),
        access.can_manage_account(membership, acme.account),
    ) == expected


def test_a_manager_who_is_also_on_the_team_as_a_member_does_not_manage_it_through_that(acme):
    TeamMembershipFactory(team=acme.sales, membership=acme.other_manager)

    assert access.has_full_access(acme.other_manager, acme.account)
    assert not access.can_manage_account(acme.other_manager, acme.account)


def test_a_manager_demoted_to_member_no_longer_manages_the_account(acme):
    acme.manager.role = Role.MEMBER
    acme.manager.save(update_fields=["role"])

    assert not access.can_manage_account(acme.manager, acme.account)


@pytest.mark.parametrize("persona", ["admin", "manager", "member", "other_manager", "other_member"])
def test_everyone_in_the_organisation_finds_the_account(acme, persona):
    account = access.access_account(membership=getattr(acme, persona), account_id=acme.account.pk)

    assert account == acme.account


def test_another_organisations_admin_gets_404_for_the_account_even_when_asking_to_manage_it(acme):
    for flags in ({}, {"full": True}, {"manage": True}):
        with pytest.raises(Http404):
            access.access_account(membership=acme.outsider, account_id=acme.account.pk, **flags)


@pytest.mark.parametrize("account_id", [999999, "not-a-number", None])
def test_an_unknown_or_malformed_account_id_is_404(acme, account_id):
    with pytest.raises(Http404):
        access.access_account(membership=acme.admin, account_id=account_id)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", True), ("manager", True), ("member", True), ("other_manager", False), ("other_member", False)],
)
def test_access_account_in_full_is_403_outside_the_owning_team(acme, persona, allowed):
    membership = getattr(acme, persona)

    if allowed:
        assert access.access_account(membership=membership, account_id=acme.account.pk, full=True) == acme.account
    else:
        with pytest.raises(PermissionDenied, match="Sales, which owns this account"):
            access.access_account(membership=membership, account_id=acme.account.pk, full=True)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("admin", True), ("manager", True), ("member", False), ("other_manager", False), ("other_member", False)],
)
def test_access_account_to_manage_is_403_for_all_but_the_teams_managers_and_admins(acme, persona, allowed):
    membership = getattr(acme, persona)

    if allowed:
        assert access.access_account(membership=membership, account_id=acme.account.pk, manage=True) == acme.account
    else:
        with pytest.raises(PermissionDenied, match="managers of Sales"):
            access.access_account(membership=membership, account_id=acme.account.pk, manage=True)


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("admin", True),
        ("manager", True),
        ("member", True),
        ("other_manager", False),
        ("other_member", False),
        ("outsider", False),
    ],
)
def test_contacts_and_follow_ups_are_visible_only_with_full_access(acme, persona, visible):
    membership = getattr(acme, persona)

    assert list(Contact.objects.visible_to(membership)) == ([acme.contact] if visible else [])
    assert list(FollowUp.objects.visible_to(membership)) == ([acme.follow_up] if visible else [])


@pytest.mark.parametrize("persona", ["other_manager", "other_member", "outsider"])
def test_a_contact_or_follow_up_without_full_access_is_404_not_403(acme, persona):
    membership = getattr(acme, persona)

    with pytest.raises(Http404):
        access.access_contact(membership=membership, contact_id=acme.contact.pk)
    with pytest.raises(Http404):
        access.access_follow_up(membership=membership, follow_up_id=acme.follow_up.pk)


def test_the_owning_teams_member_opens_its_contact_and_follow_up(acme):
    assert access.access_contact(membership=acme.member, contact_id=acme.contact.pk) == acme.contact
    assert access.access_follow_up(membership=acme.member, follow_up_id=acme.follow_up.pk) == acme.follow_up


def test_accounts_in_full_are_listed_once_for_someone_both_managing_and_on_the_team(acme):
    TeamMembershipFactory(team=acme.sales, membership=acme.manager)

    assert list(CustomerAccount.objects.in_full_for(acme.manager)) == [acme.account]


def test_visible_accounts_stay_inside_the_organisation(acme):
    assert list(CustomerAccount.objects.visible_to(acme.other_member)) == [acme.account]
    assert list(CustomerAccount.objects.visible_to(acme.outsider)) == []
