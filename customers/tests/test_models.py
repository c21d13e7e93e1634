"""The invariants customers/ keeps in the database itself, whatever writes the rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from customers.models import Contact, CustomerAccount, CustomerImport, FollowUp, OwnershipChange
from teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def team(personas):
    return TeamFactory(organization=personas.org, name="Sales")


def _account(team, **fields):
    return CustomerAccount.objects.create(organization=team.organization, owning_team=team, **fields)


def test_an_external_reference_is_unique_within_an_organisation(team):
    _account(team, name="Summit Supplies", external_ref="NW-1001")

    with pytest.raises(IntegrityError), transaction.atomic():
        _account(team, name="Summit Supplies again", external_ref="NW-1001")


def test_the_same_external_reference_may_exist_in_two_organisations(team, personas):
    _account(team, name="Summit Supplies", external_ref="NW-1001")
    other_team = TeamFactory(organization=personas.other_org)

    _account(other_team, name="Globex's Summit", external_ref="NW-1001")

    assert CustomerAccount.objects.filter(external_ref="NW-1001").count() == 2


def test_many_accounts_may_have_no_external_reference(team):
    _account(team, name="A", external_ref="")
    _account(team, name="B", external_ref="")

    assert CustomerAccount.objects.filter(external_ref="").count() == 2


def test_annual_revenue_cannot_be_negative_in_the_database(team):
    with pytest.raises(IntegrityError), transaction.atomic():
        _account(team, name="Summit Supplies", annual_revenue=Decimal("-1"))


def test_an_account_without_revenue_or_with_zero_is_fine(team):
    _account(team, name="A", annual_revenue=None)
    _account(team, name="B", annual_revenue=Decimal("0"))

    assert CustomerAccount.objects.count() == 2


def test_a_team_that_owns_accounts_cannot_be_deleted(team):
    _account(team, name="Summit Supplies")

    with pytest.raises(IntegrityError), transaction.atomic():
        team.delete()


def test_a_follow_up_cannot_be_answered_before_it_was_created(team):
    account = _account(team, name="Summit Supplies")

    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(
            account=account, summary="Late delivery", created_at=NOON, first_response_at=NOON - dt.timedelta(hours=1)
        )


def test_a_follow_up_cannot_be_resolved_before_it_was_created(team):
    account = _account(team, name="Summit Supplies")

    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUp.objects.create(
            account=account, summary="Late delivery", created_at=NOON, resolved_at=NOON - dt.timedelta(seconds=1)
        )


@pytest.mark.parametrize(
    ("status", "closed"),
    [("open", False), ("in_progress", False), ("done", True), ("cancelled", True)],
)
def test_a_follow_up_is_closed_when_done_or_cancelled(status, closed):
    assert FollowUp(status=status).is_closed is closed


def test_deleting_a_contact_keeps_its_follow_ups(team):
    account = _account(team, name="Summit Supplies")
    contact = Contact.objects.create(account=account, name="Ruth Ellis")
    follow_up = FollowUp.objects.create(account=account, contact=contact, summary="Re-order", created_at=NOON)

    contact.delete()

    follow_up.refresh_from_db()
    assert follow_up.contact is None


def test_an_import_reports_its_progress_in_percent():
    assert CustomerImport(total_rows=0, processed_rows=0).percent == 0
    assert CustomerImport(total_rows=200, processed_rows=50).percent == 25
    assert CustomerImport(total_rows=3, processed_rows=3).percent == 100


def test_an_ownership_change_reads_as_from_and_to(team, personas):
    account = _account(team, name="Summit Supplies")
    to_team = TeamFactory(organization=personas.org, name="Support")

    change = OwnershipChange(account=account, from_team=team, to_team=to_team, reason="Moved")

    assert str(change) == "Summit Supplies: Sales → Support"
