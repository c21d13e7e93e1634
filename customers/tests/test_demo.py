"""The Northwind demo (issue 4, point 8): what `seed_demo` puts in customers/, made
through the services, and that a second run changes nothing."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count

from customers import demo, selectors
from customers.models import Contact, CustomerAccount, FollowUp, OwnershipChange
from teams.models import Team, TeamMembership

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def test_about_thirty_accounts_spread_over_every_team(northwind):
    accounts = CustomerAccount.objects.for_org(northwind.pk)
    per_team = dict(accounts.values_list("owning_team__name").annotate(n=Count("pk")))

    assert accounts.count() == 30
    assert set(per_team) == set(Team.objects.filter(organization=northwind).values_list("name", flat=True))
    assert min(per_team.values()) >= 4


def test_accounts_have_references_mixed_segments_and_mostly_active_statuses(northwind):
    accounts = CustomerAccount.objects.for_org(northwind.pk)
    statuses = dict(accounts.values_list("status").annotate(n=Count("pk")))

    assert all(ref.startswith("NW-") for ref in accounts.values_list("external_ref", flat=True))
    assert set(accounts.values_list("segment", flat=True)) == {"Key account", "Growth", "Long tail"}
    assert statuses["active"] > 15
    assert statuses["prospect"] >= 3 and statuses["at_risk"] >= 2 and statuses["churned"] == 1
    assert accounts.filter(annual_revenue__isnull=False).count() >= 20


def test_every_lead_is_on_the_team_that_owns_the_account(northwind):
    for account in CustomerAccount.objects.for_org(northwind.pk):
        assert TeamMembership.objects.filter(team=account.owning_team, membership=account.lead).exists(), account


def test_two_to_four_contacts_each_with_preferences_and_notes(northwind):
    for account in CustomerAccount.objects.for_org(northwind.pk).annotate(n=Count("contacts")):
        assert 2 <= account.n <= 4, account
    contacts = Contact.objects.for_org(northwind.pk)
    assert not contacts.filter(preferences="").exists()
    assert not contacts.filter(personal_notes="").exists()


def test_some_contacts_ask_for_their_notes_to_be_reviewed(northwind):
    with time_machine.travel(TODAY, tick=False):
        flags = [
            c.needs_review
            for account in CustomerAccount.objects.for_org(northwind.pk)
            for c in selectors.account_contacts(account=account)
        ]

    assert 3 <= sum(flags) < len(flags) / 2


def test_follow_ups_are_open_overdue_done_and_cancelled(northwind):
    follow_ups = FollowUp.objects.for_org(northwind.pk)
    open_ = follow_ups.filter(status__in=["open", "in_progress"])

    assert open_.count() >= 10
    assert open_.filter(due_date__lt=TODAY.date()).count() >= 3
    assert follow_ups.filter(status="done").exclude(outcome="").count() >= 30
    assert follow_ups.filter(status="cancelled").count() >= 2
    assert not follow_ups.filter(status="done", resolved_at__isnull=True).exists()
    assert not follow_ups.filter(first_response_at__gt=TODAY).exists()


def test_the_turnaround_chart_has_several_months_of_data(northwind):
    team = Team.objects.get(organization=northwind, name="Trailhead Wholesale")

    with time_machine.travel(TODAY, tick=False):
        months = selectors.turnaround_by_month(team=team, months=6)

    assert sum(1 for m in months if m["resolved"]) >= 4
    assert all(m["response_p90"] >= m["response_median"] for m in months if m["responded"])


def test_one_ownership_transfer_with_its_reason(northwind):
    change = OwnershipChange.objects.select_related("account", "from_team", "to_team", "changed_by__user").get()

    assert (change.from_team.name, change.to_team.name) == ("Expeditions & Schools", "Rental & Repair Partners")
    assert change.account.owning_team == change.to_team
    assert change.changed_by.user.email.startswith("lena@")
    assert change.reason == demo.TRANSFER[2]


def test_seed_demo_twice_changes_nothing_in_customers(northwind):
    models = [CustomerAccount, Contact, FollowUp, OwnershipChange]
    before = {m.__name__: m.objects.count() for m in models}
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert {m.__name__: m.objects.count() for m in models} == before
    assert "Customers demo data: already there." in out.getvalue()
