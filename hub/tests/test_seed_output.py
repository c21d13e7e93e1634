"""What seed_demo prints when it creates the demo from an empty database."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.demo import PEOPLE
from accounts.models import Membership
from customers.models import Contact, FollowUp

pytestmark = pytest.mark.django_db


def test_seed_demo_prints_what_it_created():
    out = StringIO()

    call_command("seed_demo", stdout=out)

    lines = out.getvalue().splitlines()
    assert "Teams demo data: 4 values, 6 functions, 8 roles, 5 teams" in out.getvalue()
    assert len(PEOPLE) == Membership.objects.count()
    customers_line = next(line for line in lines if line.startswith("Customers demo data"))
    # Detractors' follow-ups come later, with the customer feedback demo.
    contacts, follow_ups = Contact.objects.count(), FollowUp.objects.filter(nps_feedback__isnull=True).count()
    assert customers_line == (
        f"Customers demo data: 30 accounts, {contacts} contacts, {follow_ups} follow-ups, 1 ownership transfer."
    )
    assert "Wins and handoffs demo data: 60 wins, 5 spotlights" in out.getvalue()


def test_seed_demo_leaves_fresh_snapshots_for_every_team_function_account_and_the_organisation():
    from outbox.models import DirtyScope
    from surveys.models import ScoreSnapshot
    from teams.models import Function, Team

    out = StringIO()
    call_command("seed_demo", stdout=out)

    snapshots = ScoreSnapshot.objects.all()
    written = next(line for line in out.getvalue().splitlines() if line.startswith("Scores:"))
    assert written == f"Scores: {snapshots.count()} snapshots computed."
    org = Membership.objects.first().organization
    assert snapshots.filter(scope_type="org", scope_id=org.pk, metric="engagement").exists()
    assert snapshots.filter(scope_type="org", scope_id=org.pk, metric="nps").exists()
    for team in Team.objects.all():
        assert snapshots.filter(scope_type="team", scope_id=team.pk).exists(), team
    for function in Function.objects.filter(roles__team_memberships__isnull=False).distinct():
        assert snapshots.filter(scope_type="function", scope_id=function.pk).exists(), function
    accounts = FollowUp.objects.values_list("account_id", flat=True).distinct()
    assert set(accounts) <= set(snapshots.filter(scope_type="account").values_list("scope_id", flat=True))
    assert not DirtyScope.objects.exists()  # nothing left for the worker to catch up on
