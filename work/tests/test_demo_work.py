"""seed_demo's wins and handoffs: as many as issue 5 asks for, in every state."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from notifications.models import Delivery, Notification
from work.models import Handoff, Spotlight, Win
from work.notices import Kind
from work.services.handoffs import is_breached

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def test_sixty_wins_over_three_months_across_values_and_teams(northwind):
    wins = Win.objects.for_org(northwind.pk)

    assert wins.count() == 60
    assert wins.values("team").distinct().count() == 5
    assert wins.values("values").distinct().count() >= 4
    assert wins.filter(collaborators__isnull=False).exists()
    oldest = wins.order_by("created_at").first().created_at
    assert oldest <= TODAY - dt.timedelta(days=80)


def test_five_spotlights_some_adopted_by_other_teams(northwind):
    spotlights = Spotlight.objects.filter(win__organization=northwind)

    assert spotlights.count() == 5
    assert all(s.note for s in spotlights)
    assert Win.objects.filter(organization=northwind, adoptions__isnull=False).distinct().count() >= 3


def test_eighty_handoffs_in_every_state_some_late(northwind):
    handoffs = Handoff.objects.for_org(northwind.pk)

    assert handoffs.count() == 80
    assert set(handoffs.values_list("status", flat=True)) == set(Handoff.Status.values)
    assert sum(is_breached(h, TODAY) for h in handoffs) >= 6


def test_the_demo_history_sends_no_email(northwind):
    assert not Delivery.objects.exclude(status=Delivery.Status.SENT).exists()


def test_demo_notifications_are_dated_with_their_events_and_only_last_weeks_unread(northwind):
    notifications = Notification.objects.filter(organization=northwind)
    week_ago = TODAY - dt.timedelta(days=7)

    assert notifications.filter(created_at__lt=week_ago).exists()
    assert not notifications.filter(created_at__lt=week_ago, read_at__isnull=True).exists()
    assert notifications.filter(created_at__gte=week_ago, read_at__isnull=True).exists()


def test_late_open_demo_handoffs_were_flagged_once(northwind):
    late_open = [
        h for h in Handoff.objects.for_org(northwind.pk).filter(status=Handoff.Status.OPEN) if is_breached(h, TODAY)
    ]

    assert late_open
    assert all(h.breach_notified_at for h in late_open)
    flagged = Notification.objects.filter(kind=Kind.SLA_BREACH).values_list("about_id", flat=True)
    assert {h.pk for h in late_open} == set(flagged)


def test_seeding_again_adds_no_wins_or_handoffs(northwind):
    out = StringIO()
    call_command("seed_demo", stdout=out)

    assert "Wins and handoffs demo data: already there." in out.getvalue()
    assert Win.objects.count() == 60
    assert Handoff.objects.count() == 80
