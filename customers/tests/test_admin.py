"""The Django admin for customers/ keeps the product's rules: writes go through the
services as the staff user's membership, and history stays read-only."""

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.urls import reverse

from accounts.tests.factories import UserFactory
from customers import services
from customers.models import Contact, CustomerAccount, CustomerImport, FollowUp, OwnershipChange
from teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
CUSTOMERS_MODELS = [CustomerAccount, OwnershipChange, Contact, FollowUp, CustomerImport]


def _url(model, action, *args):
    return reverse(f"admin:customers_{model._meta.model_name}_{action}", args=args)


def _make_staff(user):
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def _errors(response) -> str:
    form = response.context["adminform"].form
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


@pytest.fixture
def acme(personas):
    """Bob manages Sales (Charlie is on it), which owns Summit Supplies; Support has no manager."""
    personas.sales = TeamFactory(organization=personas.org, name="Sales", managers=[personas.manager])
    personas.support = TeamFactory(organization=personas.org, name="Support")
    TeamMembershipFactory(team=personas.sales, membership=personas.member)
    personas.account = services.account_create(
        actor=personas.manager, name="Summit Supplies", owning_team=personas.sales, external_ref="NW-1001"
    )
    return personas


@pytest.fixture
def staff(acme, client):
    """Alice, an admin of Acme, is also a superuser of the site."""
    client.force_login(_make_staff(acme.admin.user))
    return client


def _account_post(acme, **overrides):
    return {
        "organization": acme.org.pk,
        "name": "Peak Performance",
        "external_ref": "NW-1002",
        "segment": "Growth",
        "status": "active",
        "annual_revenue": "42000.00",
        "owning_team": acme.sales.pk,
        "lead": "",
        **overrides,
    }


def _contact_post(contact, **overrides):
    return {
        "name": contact.name,
        "email": contact.email,
        "phone": contact.phone,
        "title": contact.title,
        "preferred_channel": contact.preferred_channel,
        "preferences": contact.preferences,
        "personal_notes": contact.personal_notes,
        "last_interaction_at_0": "",
        "last_interaction_at_1": "",
        **overrides,
    }


def _follow_up_post(follow_up, **overrides):
    return {
        "summary": follow_up.summary,
        "contact": "",
        "owner": follow_up.owner_id,
        "due_date": "",
        "status": follow_up.status,
        "outcome": follow_up.outcome,
        **overrides,
    }


def test_every_customers_model_is_registered_in_the_admin():
    registered = {model for model in site._registry if model._meta.app_label == "customers"}

    assert registered == set(CUSTOMERS_MODELS)


@pytest.fixture
def one_of_each(acme):
    contact = services.contact_create(actor=acme.member, account=acme.account, name="Ruth Ellis")
    follow_up = services.follow_up_create(actor=acme.member, account=acme.account, summary="Late delivery")
    change = services.account_transfer(actor=acme.admin, account=acme.account, to_team=acme.support, reason="Moved")
    upload = CustomerImport.objects.create(organization=acme.org, created_by=acme.manager, filename="crm.csv")
    return {CustomerAccount: acme.account, Contact: contact, FollowUp: follow_up, OwnershipChange: change}, upload


@pytest.mark.parametrize("model", CUSTOMERS_MODELS)
def test_each_admin_list_and_change_page_renders(staff, one_of_each, model):
    rows, upload = one_of_each
    row = rows.get(model, upload)

    assert staff.get(_url(model, "changelist")).status_code == 200
    assert staff.get(_url(model, "change", row.pk)).status_code == 200


@pytest.mark.parametrize("model", [CustomerAccount, Contact, FollowUp])
def test_each_add_page_renders(staff, model):
    assert staff.get(_url(model, "add")).status_code == 200


def test_adding_an_account_in_the_admin_goes_through_the_service(staff, acme):
    with mock.patch("customers.admin.services.account_create", wraps=services.account_create) as account_create:
        response = staff.post(_url(CustomerAccount, "add"), _account_post(acme))

    assert response.status_code == 302, _errors(response)
    account = CustomerAccount.objects.get(external_ref="NW-1002")
    assert (account.owning_team, account.segment, account.organization) == (acme.sales, "Growth", acme.org)
    assert account_create.call_args.kwargs["actor"] == acme.admin


def test_adding_an_account_with_a_taken_external_reference_is_refused_with_a_message(staff, acme):
    response = staff.post(_url(CustomerAccount, "add"), _account_post(acme, external_ref="NW-1001"))

    assert response.status_code == 200
    assert "Another account already has this external reference." in _errors(response)
    assert CustomerAccount.objects.count() == 1


def test_a_superuser_who_manages_another_team_cannot_add_an_account_to_this_one(client, acme):
    client.force_login(_make_staff(acme.manager.user))

    response = client.post(_url(CustomerAccount, "add"), _account_post(acme, owning_team=acme.support.pk))

    assert "managers of Support" in _errors(response)
    assert CustomerAccount.objects.count() == 1


def test_a_superuser_without_a_membership_in_the_organisation_is_refused(client, acme):
    client.force_login(_make_staff(UserFactory()))

    response = client.post(_url(CustomerAccount, "add"), _account_post(acme))

    assert "no active membership in Acme" in _errors(response)
    assert CustomerAccount.objects.count() == 1


def test_changing_an_account_in_the_admin_goes_through_the_service_and_keeps_its_team(staff, acme):
    post = _account_post(acme, name="Summit Supplies Ltd", external_ref="NW-1001", owning_team=acme.support.pk)

    with mock.patch("customers.admin.services.account_update", wraps=services.account_update) as account_update:
        response = staff.post(_url(CustomerAccount, "change", acme.account.pk), post)

    assert response.status_code == 302, _errors(response)
    account = CustomerAccount.objects.get()
    assert (account.name, account.owning_team) == ("Summit Supplies Ltd", acme.sales)
    assert account_update.called


def test_a_member_who_is_a_superuser_cannot_change_the_account(client, acme):
    client.force_login(_make_staff(acme.member.user))

    response = client.post(_url(CustomerAccount, "change", acme.account.pk), _account_post(acme, name="Mine"))

    assert "managers of Sales" in _errors(response)
    assert CustomerAccount.objects.get().name == "Summit Supplies"


def test_adding_a_contact_with_notes_in_the_admin_marks_them_reviewed(staff, acme):
    post = _contact_post(Contact(name="Ruth Ellis"), account=acme.account.pk, personal_notes="Loves flapjacks")

    with time_machine.travel(NOON, tick=False):
        response = staff.post(_url(Contact, "add"), post)

    assert response.status_code == 302, _errors(response)
    contact = Contact.objects.get()
    assert (contact.account, contact.notes_reviewed_at) == (acme.account, NOON)


def test_changing_a_contacts_preferences_in_the_admin_marks_them_reviewed(staff, acme):
    contact = services.contact_create(actor=acme.member, account=acme.account, name="Ruth Ellis")

    with time_machine.travel(NOON, tick=False):
        response = staff.post(_url(Contact, "change", contact.pk), _contact_post(contact, preferences="Calls only"))

    assert response.status_code == 302, _errors(response)
    contact.refresh_from_db()
    assert (contact.preferences, contact.notes_reviewed_at) == ("Calls only", NOON)


def test_deleting_a_contact_in_the_admin_goes_through_the_service(staff, acme):
    contact = services.contact_create(actor=acme.member, account=acme.account, name="Ruth Ellis")

    with mock.patch("customers.admin.services.contact_delete", wraps=services.contact_delete) as contact_delete:
        response = staff.post(_url(Contact, "delete", contact.pk), {"post": "yes"})

    assert response.status_code == 302
    assert contact_delete.called
    assert not Contact.objects.exists()


def test_adding_a_follow_up_in_the_admin_stamps_the_owning_team_and_creator(staff, acme):
    response = staff.post(
        _url(FollowUp, "add"),
        {"account": acme.account.pk, "summary": "Late delivery", "contact": "", "owner": acme.member.pk},
    )

    assert response.status_code == 302, _errors(response)
    follow_up = FollowUp.objects.get()
    assert (follow_up.team, follow_up.created_by, follow_up.owner, follow_up.status) == (
        acme.sales,
        acme.admin,
        acme.member,
        "open",
    )


def test_closing_a_follow_up_in_the_admin_goes_through_set_status_and_stamps_the_times(staff, acme):
    with time_machine.travel(NOON, tick=False):
        follow_up = services.follow_up_create(actor=acme.member, account=acme.account, summary="Late delivery")
    post = _follow_up_post(follow_up, status="done", outcome="Replacement sent.")

    with (
        time_machine.travel(NOON + dt.timedelta(hours=3), tick=False),
        mock.patch("customers.admin.services.follow_up_set_status", wraps=services.follow_up_set_status) as set_status,
    ):
        response = staff.post(_url(FollowUp, "change", follow_up.pk), post)

    assert response.status_code == 302, _errors(response)
    assert set_status.called
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.outcome) == ("done", "Replacement sent.")
    assert follow_up.first_response_at == follow_up.resolved_at == NOON + dt.timedelta(hours=3)


def test_an_illegal_status_change_in_the_admin_is_refused_on_the_field(staff, acme):
    follow_up = services.follow_up_create(actor=acme.member, account=acme.account, summary="Late delivery")
    services.follow_up_set_status(actor=acme.member, follow_up=follow_up, status="cancelled")

    response = staff.post(_url(FollowUp, "change", follow_up.pk), _follow_up_post(follow_up, status="done"))

    assert "cancelled cannot become done" in " ".join(response.context["adminform"].form.errors["status"])
    assert FollowUp.objects.get().status == "cancelled"


def test_follow_ups_cannot_be_deleted_in_the_admin(staff, acme):
    follow_up = services.follow_up_create(actor=acme.member, account=acme.account, summary="Late delivery")

    assert staff.post(_url(FollowUp, "delete", follow_up.pk), {"post": "yes"}).status_code == 403
    assert staff.post(_url(CustomerAccount, "delete", acme.account.pk), {"post": "yes"}).status_code == 403
    assert FollowUp.objects.exists()


@pytest.mark.parametrize("model", [OwnershipChange, CustomerImport])
def test_ownership_history_and_imports_are_read_only_in_the_admin(staff, one_of_each, model):
    rows, upload = one_of_each
    row = rows.get(model, upload)

    assert staff.get(_url(model, "add")).status_code == 403
    assert staff.post(_url(model, "change", row.pk), {}).status_code == 403
    assert staff.post(_url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    assert b'name="_save"' not in staff.get(_url(model, "change", row.pk)).content
    assert model.objects.filter(pk=row.pk).exists()
