"""Writes for customers/: each use case, who may do it, what bad input gets, and what
it leaves behind."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.tests.factories import MembershipFactory
from customers import services
from customers.models import Contact, CustomerAccount, FollowUp, OwnershipChange
from teamhub.lib.tenancy import Role
from teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def acme(personas):
    """Bob manages Sales, where Charlie works; Dana manages Support, where Erin works."""
    p = personas
    p.other_manager = MembershipFactory(organization=p.org, role=Role.MANAGER, user__full_name="Dana Manager")
    p.other_member = MembershipFactory(organization=p.org, role=Role.MEMBER, user__full_name="Erin Member")
    p.sales = TeamFactory(organization=p.org, name="Sales", managers=[p.manager])
    p.support = TeamFactory(organization=p.org, name="Support", managers=[p.other_manager])
    TeamMembershipFactory(team=p.sales, membership=p.member)
    TeamMembershipFactory(team=p.support, membership=p.other_member)
    return p


@pytest.fixture
def account(acme):
    return services.account_create(
        actor=acme.manager, name="Summit Supplies", owning_team=acme.sales, external_ref="NW-1001", lead=acme.member
    )


def _messages(error: ValidationError) -> dict:
    return error.value.message_dict


# --- Accounts -------------------------------------------------------------------------------------


def test_a_teams_manager_adds_an_account_to_their_team(acme):
    account = services.account_create(
        actor=acme.manager,
        name="Summit Supplies",
        owning_team=acme.sales,
        external_ref=" NW-1001 ",
        segment="Key account",
        status=CustomerAccount.Status.PROSPECT,
        annual_revenue=Decimal("125000.00"),
        lead=acme.member,
    )

    account.refresh_from_db()
    assert (account.organization, account.owning_team, account.lead) == (acme.org, acme.sales, acme.member)
    assert (account.external_ref, account.segment, account.status) == ("NW-1001", "Key account", "prospect")
    assert account.annual_revenue == Decimal("125000.00")


def test_an_admin_adds_an_account_to_any_team(acme):
    account = services.account_create(actor=acme.admin, name="Summit Supplies", owning_team=acme.support)

    assert account.owning_team == acme.support


def test_a_manager_of_another_team_cannot_add_an_account_to_it(acme):
    with pytest.raises(PermissionDenied, match="managers of Support"):
        services.account_create(actor=acme.manager, name="Summit Supplies", owning_team=acme.support)

    assert not CustomerAccount.objects.exists()


def test_a_member_cannot_add_an_account_even_to_their_own_team(acme):
    with pytest.raises(PermissionDenied):
        services.account_create(actor=acme.member, name="Summit Supplies", owning_team=acme.sales)

    assert not CustomerAccount.objects.exists()


def test_an_account_for_another_organisations_team_is_refused_on_the_team(acme):
    globex_team = TeamFactory(organization=acme.other_org)

    with pytest.raises(ValidationError) as error:
        services.account_create(actor=acme.admin, name="Summit Supplies", owning_team=globex_team)

    assert "owning_team" in _messages(error)
    assert not CustomerAccount.objects.exists()


def test_an_external_reference_already_used_in_the_organisation_is_refused_on_the_field(acme, account):
    with pytest.raises(ValidationError) as error:
        services.account_create(actor=acme.admin, name="Other", owning_team=acme.support, external_ref="NW-1001 ")

    assert _messages(error) == {"external_ref": ["Another account already has this external reference."]}
    assert CustomerAccount.objects.count() == 1


def test_an_external_reference_used_in_another_organisation_is_fine(acme, account):
    globex_team = TeamFactory(organization=acme.other_org)

    other = services.account_create(actor=acme.outsider, name="Summit", owning_team=globex_team, external_ref="NW-1001")

    assert other.external_ref == "NW-1001"


def test_accounts_without_an_external_reference_may_be_added_many_times(acme):
    for name in ["A", "B", "C"]:
        services.account_create(actor=acme.manager, name=name, owning_team=acme.sales, external_ref="  ")

    assert list(CustomerAccount.objects.values_list("external_ref", flat=True)) == ["", "", ""]


def test_negative_revenue_is_refused_with_a_message(acme):
    with pytest.raises(ValidationError, match="Annual revenue cannot be negative"):
        services.account_create(
            actor=acme.manager, name="Summit", owning_team=acme.sales, annual_revenue=Decimal("-10")
        )

    assert not CustomerAccount.objects.exists()


def test_a_lead_from_another_organisation_is_refused_on_the_field(acme):
    with pytest.raises(ValidationError) as error:
        services.account_create(actor=acme.manager, name="Summit", owning_team=acme.sales, lead=acme.outsider)

    assert "lead" in _messages(error)
    assert not CustomerAccount.objects.exists()


def test_an_inactive_lead_is_refused(acme):
    acme.member.is_active = False
    acme.member.save(update_fields=["is_active"])

    with pytest.raises(ValidationError) as error:
        services.account_create(actor=acme.manager, name="Summit", owning_team=acme.sales, lead=acme.member)

    assert "lead" in _messages(error)


def test_fields_outside_the_use_case_are_refused(acme):
    with pytest.raises(ValidationError, match="organization"):
        services.account_create(actor=acme.manager, name="Summit", owning_team=acme.sales, organization=acme.other_org)


def test_the_teams_manager_updates_the_account(acme, account):
    services.account_update(actor=acme.manager, account=account, status="at_risk", segment="Growth")

    account.refresh_from_db()
    assert (account.status, account.segment) == ("at_risk", "Growth")


@pytest.mark.parametrize("persona", ["member", "other_manager", "other_member"])
def test_only_the_owning_teams_managers_and_admins_update_the_account(acme, account, persona):
    with pytest.raises(PermissionDenied):
        services.account_update(actor=getattr(acme, persona), account=account, name="Renamed")

    assert CustomerAccount.objects.get().name == "Summit Supplies"


def test_the_owning_team_cannot_be_changed_by_an_update(acme, account):
    with pytest.raises(ValidationError, match="owning_team"):
        services.account_update(actor=acme.admin, account=account, owning_team=acme.support)

    assert CustomerAccount.objects.get().owning_team == acme.sales


def test_updating_to_an_external_reference_taken_by_another_account_is_refused(acme, account):
    other = services.account_create(actor=acme.admin, name="Other", owning_team=acme.sales, external_ref="NW-1002")

    with pytest.raises(ValidationError) as error:
        services.account_update(actor=acme.admin, account=other, external_ref="NW-1001")

    assert "external_ref" in _messages(error)
    assert CustomerAccount.objects.get(pk=other.pk).external_ref == "NW-1002"


def test_an_account_keeps_its_own_external_reference_on_update(acme, account):
    services.account_update(actor=acme.admin, account=account, external_ref="NW-1001", name="Summit Ltd")

    assert CustomerAccount.objects.get().name == "Summit Ltd"


# --- Transfers ---------------------------------------------------------------------------------------


def test_a_transfer_records_from_to_who_when_and_why(acme, account):
    with time_machine.travel(NOON, tick=False):
        change = services.account_transfer(
            actor=acme.manager, account=account, to_team=acme.support, reason="  Support runs the service contract.  "
        )

    account.refresh_from_db()
    assert account.owning_team == acme.support
    assert (change.from_team, change.to_team, change.changed_by) == (acme.sales, acme.support, acme.manager)
    assert (change.reason, change.created_at) == ("Support runs the service contract.", NOON)


def test_the_new_team_sees_the_account_in_full_after_a_transfer(acme, account):
    services.account_transfer(actor=acme.manager, account=account, to_team=acme.support, reason="Moved")

    assert list(CustomerAccount.objects.in_full_for(acme.other_member)) == [account]
    assert list(CustomerAccount.objects.in_full_for(acme.member)) == []


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_transfer_needs_a_reason(acme, account, reason):
    with pytest.raises(ValidationError) as error:
        services.account_transfer(actor=acme.manager, account=account, to_team=acme.support, reason=reason)

    assert "reason" in _messages(error)
    assert not OwnershipChange.objects.exists()
    assert CustomerAccount.objects.get().owning_team == acme.sales


def test_a_transfer_to_the_team_that_owns_it_is_refused(acme, account):
    with pytest.raises(ValidationError, match="Sales already owns this account"):
        services.account_transfer(actor=acme.manager, account=account, to_team=acme.sales, reason="Why not")

    assert not OwnershipChange.objects.exists()


def test_a_transfer_to_another_organisations_team_is_refused(acme, account):
    globex_team = TeamFactory(organization=acme.other_org)

    with pytest.raises(ValidationError):
        services.account_transfer(actor=acme.admin, account=account, to_team=globex_team, reason="Sold")

    assert CustomerAccount.objects.get().owning_team == acme.sales


def test_a_transfer_clears_a_lead_who_is_not_on_the_new_team(acme, account):
    services.account_transfer(actor=acme.manager, account=account, to_team=acme.support, reason="Moved")

    assert CustomerAccount.objects.get().lead is None


def test_a_transfer_keeps_a_lead_who_is_on_the_new_team(acme, account):
    TeamMembershipFactory(team=acme.support, membership=acme.member)

    services.account_transfer(actor=acme.manager, account=account, to_team=acme.support, reason="Moved")

    assert CustomerAccount.objects.get().lead == acme.member


def test_a_transfer_keeps_a_lead_who_manages_the_new_team(acme, account):
    services.account_update(actor=acme.manager, account=account, lead=acme.other_manager)

    services.account_transfer(actor=acme.manager, account=account, to_team=acme.support, reason="Moved")

    assert CustomerAccount.objects.get().lead == acme.other_manager


@pytest.mark.parametrize("persona", ["member", "other_manager", "other_member"])
def test_only_the_owning_teams_managers_and_admins_transfer_the_account(acme, account, persona):
    with pytest.raises(PermissionDenied):
        services.account_transfer(actor=getattr(acme, persona), account=account, to_team=acme.support, reason="Mine")

    assert CustomerAccount.objects.get().owning_team == acme.sales
    assert not OwnershipChange.objects.exists()


def test_an_admin_transfers_any_account(acme, account):
    services.account_transfer(actor=acme.admin, account=account, to_team=acme.support, reason="Reorganised")

    assert CustomerAccount.objects.get().owning_team == acme.support


# --- Contacts ----------------------------------------------------------------------------------------


def test_a_contact_with_preferences_is_created_reviewed(acme, account):
    with time_machine.travel(NOON, tick=False):
        contact = services.contact_create(
            actor=acme.member,
            account=account,
            name="Ruth Ellis",
            email="ruth@summit.example",
            preferred_channel=Contact.Channel.PHONE,
            preferences="Calls before 10 am only.",
        )

    contact.refresh_from_db()
    assert (contact.account, contact.preferred_channel, contact.notes_reviewed_at) == (account, "phone", NOON)


def test_a_contact_without_notes_is_not_marked_reviewed(acme, account):
    contact = services.contact_create(actor=acme.member, account=account, name="Ruth Ellis", preferences="")

    assert contact.notes_reviewed_at is None


def test_a_contact_with_a_bad_email_or_channel_is_refused_on_the_field(acme, account):
    with pytest.raises(ValidationError) as error:
        services.contact_create(
            actor=acme.member, account=account, name="Ruth", email="not-an-email", preferred_channel="pigeon"
        )

    assert set(_messages(error)) == {"email", "preferred_channel"}
    assert not Contact.objects.exists()


@pytest.mark.parametrize("field", ["preferences", "personal_notes"])
def test_changing_what_the_team_remembers_marks_the_notes_reviewed(acme, account, field):
    contact = services.contact_create(actor=acme.member, account=account, name="Ruth Ellis")

    with time_machine.travel(NOON, tick=False):
        services.contact_update(actor=acme.member, contact=contact, **{field: "Loves flapjacks."})

    contact.refresh_from_db()
    assert (getattr(contact, field), contact.notes_reviewed_at) == ("Loves flapjacks.", NOON)


def test_changing_other_details_does_not_mark_the_notes_reviewed(acme, account):
    contact = services.contact_create(actor=acme.member, account=account, name="Ruth Ellis")

    services.contact_update(actor=acme.member, contact=contact, phone="+44 20 7946 0000", title="Buyer")

    contact.refresh_from_db()
    assert (contact.phone, contact.title, contact.notes_reviewed_at) == ("+44 20 7946 0000", "Buyer", None)


def test_marking_the_notes_reviewed_stamps_now(acme, account):
    contact = services.contact_create(actor=acme.member, account=account, name="Ruth Ellis", personal_notes="Dogs")

    with time_machine.travel(NOON, tick=False):
        services.contact_mark_reviewed(actor=acme.manager, contact=contact)

    assert Contact.objects.get().notes_reviewed_at == NOON


@pytest.mark.parametrize("persona", ["other_manager", "other_member", "outsider"])
def test_without_full_access_contacts_cannot_be_added_changed_reviewed_or_deleted(acme, account, persona):
    contact = services.contact_create(actor=acme.member, account=account, name="Ruth Ellis")
    actor = getattr(acme, persona)

    with pytest.raises(PermissionDenied):
        services.contact_create(actor=actor, account=account, name="Spy")
    with pytest.raises(PermissionDenied):
        services.contact_update(actor=actor, contact=contact, preferences="Changed")
    with pytest.raises(PermissionDenied):
        services.contact_mark_reviewed(actor=actor, contact=contact)
    with pytest.raises(PermissionDenied):
        services.contact_delete(actor=actor, contact=contact)

    contact = Contact.objects.get()
    assert (contact.name, contact.preferences, contact.notes_reviewed_at) == ("Ruth Ellis", "", None)


def test_a_contacts_account_cannot_be_changed(acme, account):
    contact = services.contact_create(actor=acme.member, account=account, name="Ruth Ellis")
    other = services.account_create(actor=acme.admin, name="Other", owning_team=acme.support)

    with pytest.raises(ValidationError, match="account"):
        services.contact_update(actor=acme.admin, contact=contact, account=other)

    assert Contact.objects.get().account == account


def test_the_owning_team_deletes_a_contact(acme, account):
    contact = services.contact_create(actor=acme.member, account=account, name="Ruth Ellis")

    services.contact_delete(actor=acme.member, contact=contact)

    assert not Contact.objects.exists()


# --- Follow-ups --------------------------------------------------------------------------------------


@pytest.fixture
def follow_up(acme, account):
    return services.follow_up_create(actor=acme.member, account=account, summary="Late delivery", at=NOON)


def _set(acme, follow_up, status, hours, **kwargs):
    return services.follow_up_set_status(
        actor=acme.member, follow_up=follow_up, status=status, at=NOON + dt.timedelta(hours=hours), **kwargs
    )


def test_a_follow_up_is_stamped_with_the_owning_team_and_its_creator(acme, account):
    contact = services.contact_create(actor=acme.member, account=account, name="Ruth Ellis")

    follow_up = services.follow_up_create(
        actor=acme.member, account=account, summary="Late delivery", contact=contact, due_date=dt.date(2026, 12, 1)
    )

    follow_up.refresh_from_db()
    assert (follow_up.team, follow_up.created_by, follow_up.owner) == (acme.sales, acme.member, acme.member)
    assert (follow_up.status, follow_up.contact, follow_up.first_response_at, follow_up.resolved_at) == (
        "open",
        contact,
        None,
        None,
    )


def test_a_follow_up_keeps_the_team_that_had_it_after_a_transfer(acme, account, follow_up):
    services.account_transfer(actor=acme.manager, account=account, to_team=acme.support, reason="Moved")

    assert FollowUp.objects.get().team == acme.sales


def test_a_follow_up_may_be_given_to_another_owner(acme, account):
    follow_up = services.follow_up_create(actor=acme.member, account=account, summary="Quote", owner=acme.manager)

    assert (follow_up.owner, follow_up.created_by) == (acme.manager, acme.member)


def test_a_follow_up_owned_by_someone_of_another_organisation_is_refused(acme, account):
    with pytest.raises(ValidationError) as error:
        services.follow_up_create(actor=acme.member, account=account, summary="Quote", owner=acme.outsider)

    assert "owner" in _messages(error)
    assert not FollowUp.objects.exists()


def test_a_follow_up_with_another_accounts_contact_is_refused(acme, account):
    other = services.account_create(actor=acme.manager, name="Other", owning_team=acme.sales)
    stranger = services.contact_create(actor=acme.member, account=other, name="Stranger")

    with pytest.raises(ValidationError) as error:
        services.follow_up_create(actor=acme.member, account=account, summary="Quote", contact=stranger)

    assert _messages(error) == {"contact": ["Choose a contact of this account."]}
    assert not FollowUp.objects.exists()


def test_changing_a_follow_up_to_another_accounts_contact_is_refused(acme, account, follow_up):
    other = services.account_create(actor=acme.manager, name="Other", owning_team=acme.sales)
    stranger = services.contact_create(actor=acme.member, account=other, name="Stranger")

    with pytest.raises(ValidationError):
        services.follow_up_update(actor=acme.member, follow_up=follow_up, contact=stranger)

    assert FollowUp.objects.get().contact is None


@pytest.mark.parametrize("persona", ["other_manager", "other_member", "outsider"])
def test_without_full_access_follow_ups_cannot_be_added_changed_or_moved(acme, account, follow_up, persona):
    actor = getattr(acme, persona)

    with pytest.raises(PermissionDenied):
        services.follow_up_create(actor=actor, account=account, summary="Spy")
    with pytest.raises(PermissionDenied):
        services.follow_up_update(actor=actor, follow_up=follow_up, summary="Changed")
    with pytest.raises(PermissionDenied):
        services.follow_up_set_status(actor=actor, follow_up=follow_up, status="done")

    follow_up = FollowUp.objects.get()
    assert (follow_up.summary, follow_up.status) == ("Late delivery", "open")


def test_status_changes_cannot_go_through_update(acme, follow_up):
    with pytest.raises(ValidationError, match="status"):
        services.follow_up_update(actor=acme.member, follow_up=follow_up, status="done")

    assert FollowUp.objects.get().status == "open"


def test_starting_work_is_the_first_response_and_done_is_the_resolution(acme, follow_up):
    _set(acme, follow_up, "in_progress", 2)
    done = _set(acme, follow_up, "done", 30, outcome="Replacement shipped.")

    done.refresh_from_db()
    assert done.first_response_at == NOON + dt.timedelta(hours=2)
    assert done.resolved_at == NOON + dt.timedelta(hours=30)
    assert (done.status, done.outcome) == ("done", "Replacement shipped.")


def test_done_straight_from_open_is_both_the_first_response_and_the_resolution(acme, follow_up):
    done = _set(acme, follow_up, "done", 5)

    assert done.first_response_at == done.resolved_at == NOON + dt.timedelta(hours=5)


def test_the_first_response_is_stamped_once(acme, follow_up):
    _set(acme, follow_up, "in_progress", 1)
    _set(acme, follow_up, "open", 2)
    _set(acme, follow_up, "in_progress", 3)
    done = _set(acme, follow_up, "done", 4)

    assert done.first_response_at == NOON + dt.timedelta(hours=1)


def test_reopening_a_done_follow_up_clears_its_resolution_but_keeps_the_first_response(acme, follow_up):
    _set(acme, follow_up, "done", 5)

    reopened = _set(acme, follow_up, "in_progress", 8)

    reopened.refresh_from_db()
    assert (reopened.status, reopened.resolved_at) == ("in_progress", None)
    assert reopened.first_response_at == NOON + dt.timedelta(hours=5)


def test_cancelling_is_neither_a_response_nor_a_resolution(acme, follow_up):
    cancelled = _set(acme, follow_up, "cancelled", 3, outcome="Customer sorted it themselves.")

    assert (cancelled.first_response_at, cancelled.resolved_at) == (None, None)
    assert cancelled.outcome == "Customer sorted it themselves."


def test_without_an_outcome_the_previous_one_is_kept(acme, follow_up):
    services.follow_up_update(actor=acme.member, follow_up=follow_up, outcome="Waiting for stock.")

    assert _set(acme, follow_up, "done", 1).outcome == "Waiting for stock."


@pytest.mark.parametrize(
    ("path", "wanted", "message"),
    [
        ([], "open", "A follow-up that is open cannot become open."),
        (["done"], "open", "A follow-up that is done cannot become open."),
        (["done"], "cancelled", "A follow-up that is done cannot become cancelled."),
        (["cancelled"], "done", "A follow-up that is cancelled cannot become done."),
        (["cancelled"], "in_progress", "A follow-up that is cancelled cannot become in progress."),
    ],
)
def test_illegal_transitions_are_refused_with_a_clear_message(acme, follow_up, path, wanted, message):
    for hours, status in enumerate(path, start=1):
        _set(acme, follow_up, status, hours)
    before = FollowUp.objects.values().get()

    with pytest.raises(ValidationError) as error:
        _set(acme, follow_up, wanted, 10)

    assert _messages(error) == {"status": [message]}
    assert FollowUp.objects.values().get() == before


def test_an_unknown_status_is_refused(acme, follow_up):
    with pytest.raises(ValidationError, match="not a follow-up status"):
        _set(acme, follow_up, "snoozed", 1)


def test_a_status_change_dated_before_the_follow_up_was_created_is_refused(acme, follow_up):
    with pytest.raises(ValidationError):
        _set(acme, follow_up, "done", -1)

    assert FollowUp.objects.get().status == "open"
