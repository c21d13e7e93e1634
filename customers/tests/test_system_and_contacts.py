"""What customers/ offers TeamHub itself and the apps above it: services an integration
or a job may call with explicit grants, an e-mail to a contact that honours their
opt-out, and score marks when an account moves to another team."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from customers import services
from customers.models import FollowUp
from customers.selectors import contact_email
from customers.tests.factories import ContactFactory, CustomerAccountFactory
from notifications.models import Delivery
from notifications.services import Message, send
from notifications.tasks import deliver_notification
from outbox.models import DirtyScope
from teamhub.lib.actors import system_actor
from teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(personas):
    team = TeamFactory(organization=personas.org, name="Support", managers=[personas.manager])
    TeamMembershipFactory(team=team, membership=personas.member)
    return CustomerAccountFactory(organization=personas.org, owning_team=team, name="Northwind", lead=personas.member)


# --- TeamHub itself, with explicit grants -----------------------------------------------------


def test_the_nps_loop_opens_a_follow_up_owned_by_the_accounts_lead(personas, account):
    loop = system_actor(personas.org, "NPS follow-up of detractors", services.CREATE_FOLLOW_UPS)

    follow_up = services.follow_up_create(actor=loop, account=account, summary="Call back: scored 3")

    assert (follow_up.owner, follow_up.created_by, follow_up.team) == (personas.member, None, account.owning_team)


def test_without_the_grant_the_system_may_not_open_one(personas, account):
    sync = system_actor(personas.org, "CRM sync", services.UPDATE_ACCOUNTS)

    with pytest.raises(PermissionDenied, match="was not granted"):
        services.follow_up_create(actor=sync, account=account, summary="Nope")
    assert not FollowUp.objects.exists()


def test_a_grant_works_in_its_own_organisation_only(personas, account):
    elsewhere = system_actor(personas.other_org, "NPS follow-up of detractors", services.CREATE_FOLLOW_UPS)

    with pytest.raises(PermissionDenied, match="another organisation"):
        services.follow_up_create(actor=elsewhere, account=account, summary="Nope")


def test_a_crm_sync_updates_an_account_it_was_granted(personas, account):
    sync = system_actor(personas.org, "CRM sync", services.UPDATE_ACCOUNTS)

    services.account_update(actor=sync, account=account, segment="Platinum")

    account.refresh_from_db()
    assert account.segment == "Platinum"


def test_a_system_actor_cannot_do_what_only_a_role_allows(personas, account):
    """A transfer needs a manager of the team: no grant stands in for a role."""
    sync = system_actor(personas.org, "CRM sync", services.UPDATE_ACCOUNTS, services.CREATE_FOLLOW_UPS)
    other = TeamFactory(organization=personas.org)

    with pytest.raises(PermissionDenied):
        services.account_transfer(actor=sync, account=account, to_team=other, reason="Sync says so")


# --- E-mail to a contact ----------------------------------------------------------------------


def _survey(contact):
    message = Message(kind="nps_survey", title="How likely are you to recommend us?", url="/s/x/", body="One question.")
    send(message, organization_id=contact.account.organization_id, to=[contact_email(contact)])


def test_a_contact_gets_the_email_at_their_address(account):
    contact = ContactFactory(account=account, name="Jo", email="jo@northwind.example")

    _survey(contact)
    deliver_notification(Delivery.objects.get().pk)

    assert mail.outbox[0].to == ["jo@northwind.example"]
    delivery = Delivery.objects.get()
    assert (delivery.recipient_type, delivery.recipient_id, delivery.recipient_name) == ("contact", contact.pk, "Jo")


def test_a_contact_who_opted_out_or_has_no_address_is_not_written_to(account):
    _survey(ContactFactory(account=account, survey_opt_out=True))
    _survey(ContactFactory(account=account, email=""))

    assert not Delivery.objects.exists()


def test_an_opt_out_after_the_email_was_queued_is_honoured(account):
    contact = ContactFactory(account=account, name="Jo")
    _survey(contact)
    contact.survey_opt_out = True
    contact.save(update_fields=["survey_opt_out"])

    deliver_notification(Delivery.objects.get().pk)

    assert mail.outbox == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error) == (Delivery.Status.FAILED, "Jo opted out of TeamHub's e-mail.")


# --- Score marks -------------------------------------------------------------------------------


def test_a_transfer_marks_both_teams_and_the_account_for_today(personas, account):
    new_team = TeamFactory(organization=personas.org, name="Field sales")

    change = services.account_transfer(actor=personas.admin, account=account, to_team=new_team, reason="Moved region")

    marks = set(DirtyScope.objects.values_list("scope_type", "scope_id", "day"))
    today = change.created_at.astimezone(dt.UTC).date()  # Acme counts days in UTC
    assert {
        ("team", account.owning_team_id, today),
        ("team", new_team.pk, today),
        ("account", account.pk, today),
        ("org", personas.org.pk, today),
    } == marks
