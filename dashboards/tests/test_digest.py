"""The weekly digest: when it is due (time zones, daylight saving), who gets it (managers
by default, members who opted in), once per person per week whatever runs twice, what
the e-mail says and its unsubscribe link, and queries that do not grow with the data."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.models import DigestPreference, DigestSent
from dashboards.selectors import digest as selectors
from dashboards.services import digest as services
from dashboards.tasks import send_digests
from notifications.models import Delivery, Notification
from notifications.tasks import deliver_notification
from teams.tests.factories import TeamFactory, TeamMembershipFactory
from work.tests.factories import WinFactory

pytestmark = pytest.mark.django_db

LONDON, BERLIN, NEW_YORK, TOKYO = (
    ZoneInfo(z) for z in ("Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo")
)
FRIDAY_9_LONDON = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)  # winter: London is UTC
MONDAY = dt.date(2026, 11, 30)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def scene(personas):
    """Bob manages Support, Charlie is on it; Alice (admin) is on no team. Acme counts
    time in London."""
    p = personas
    p.org.timezone = "Europe/London"
    p.org.save(update_fields=["timezone"])
    p.support = TeamFactory(organization=p.org, name="Support", managers=[p.manager])
    TeamMembershipFactory(team=p.support, membership=p.member)
    return p


def run(now):
    with time_machine.travel(now, tick=False):
        return services.digests_send_due()


# --- When it is due -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "now", "due_at"),
    [
        # London in winter is UTC; Berlin one hour ahead; New York five behind; Tokyo nine ahead.
        (LONDON, utc(2026, 12, 4, 9, 10), utc(2026, 12, 4, 9, 0)),
        (BERLIN, utc(2026, 12, 4, 8, 10), utc(2026, 12, 4, 8, 0)),
        (NEW_YORK, utc(2026, 12, 4, 14, 10), utc(2026, 12, 4, 14, 0)),
        (TOKYO, utc(2026, 12, 4, 0, 10), utc(2026, 12, 4, 0, 0)),
        # Summer: London and Berlin an hour ahead of winter.
        (LONDON, utc(2026, 7, 3, 8, 10), utc(2026, 7, 3, 8, 0)),
        (BERLIN, utc(2026, 7, 3, 7, 10), utc(2026, 7, 3, 7, 0)),
    ],
)
def test_friday_nine_is_nine_in_the_organisations_zone_summer_and_winter(zone, now, due_at):
    slot = selectors.latest_slot(4, 9, zone, now)
    assert slot.at == due_at
    assert (4, 9) in selectors.due_slots(zone, now)
    assert (4, 9) not in selectors.due_slots(zone, due_at - dt.timedelta(minutes=1))


def test_a_slot_across_the_dst_change_keeps_its_wall_clock_hour():
    """Europe changes clocks on the last Sunday of October (25 Oct 2026): Friday 9:00 in
    Berlin is 07:00 UTC the Friday before and 08:00 UTC the Friday after."""
    before = selectors.latest_slot(4, 9, BERLIN, utc(2026, 10, 23, 12))
    after = selectors.latest_slot(4, 9, BERLIN, utc(2026, 10, 30, 12))
    assert before.at == utc(2026, 10, 23, 7) and after.at == utc(2026, 10, 30, 8)
    assert after.at - before.at == dt.timedelta(days=7, hours=1)
    # The next digest from the Friday before the change lands on 9:00 local after it.
    assert selectors.next_slot_at(4, 9, BERLIN, utc(2026, 10, 23, 12)) == utc(2026, 10, 30, 8)


def test_an_hour_skipped_by_spring_forward_is_sent_the_hour_after():
    """Sunday 28 March 2027, 02:00 does not exist in Berlin: the digest goes at 03:00
    local (01:00 UTC), once, in that week."""
    slot = selectors.latest_slot(6, 2, BERLIN, utc(2027, 3, 28, 1, 5))
    assert slot.at == utc(2027, 3, 28, 1, 0)
    assert slot.week == dt.date(2027, 3, 22)


def test_due_for_six_hours_then_the_week_is_missed_not_sent_days_late():
    assert (4, 9) in selectors.due_slots(LONDON, utc(2026, 12, 4, 14, 59))
    assert (4, 9) not in selectors.due_slots(LONDON, utc(2026, 12, 4, 15, 0))
    assert (4, 9) not in selectors.due_slots(LONDON, utc(2026, 12, 5, 9, 0))


def test_a_sunday_late_slot_caught_up_on_monday_belongs_to_the_sunday_week():
    slot = selectors.latest_slot(6, 23, LONDON, utc(2026, 12, 7, 2, 0))  # Monday 02:00
    assert (6, 23) in selectors.due_slots(LONDON, utc(2026, 12, 7, 2, 0))
    assert slot.day == dt.date(2026, 12, 6) and slot.week == MONDAY
    assert (slot.date_from, slot.day) == (dt.date(2026, 11, 30), dt.date(2026, 12, 6))


# --- Who gets it ----------------------------------------------------------------------------


def _due(p, now):
    return {due.membership.pk for due in selectors.due_digests(p.org, now=now)}


def test_managers_and_admins_get_it_by_default_members_do_not(scene):
    p = scene
    assert _due(p, FRIDAY_9_LONDON) == {p.manager.pk, p.admin.pk}
    assert _due(p, FRIDAY_9_LONDON - dt.timedelta(hours=1)) == set()


def test_a_member_who_opts_in_gets_it_at_their_hour(scene):
    p = scene
    services.digest_preference_set(actor=p.member, enabled=True, weekday=0, hour=8)
    monday_8 = utc(2026, 12, 7, 8, 5)
    assert p.member.pk in _due(p, monday_8)
    assert p.member.pk not in _due(p, FRIDAY_9_LONDON)


def test_a_manager_who_turns_it_off_or_moves_it_is_not_due_on_friday(scene):
    p = scene
    services.digest_preference_set(actor=p.manager, enabled=False)
    services.digest_preference_set(actor=p.admin, weekday=2)
    assert _due(p, FRIDAY_9_LONDON) == set()
    assert _due(p, utc(2026, 12, 2, 9, 0)) == {p.admin.pk}


def test_people_who_left_and_other_organisations_are_not_due(scene):
    p = scene
    p.manager.is_active = False
    p.manager.save(update_fields=["is_active"])
    assert _due(p, FRIDAY_9_LONDON) == {p.admin.pk}


def test_digest_teams_are_those_managed_and_joined_and_an_admin_on_none_gets_all(scene):
    p = scene
    sales = TeamFactory(organization=p.org, name="Sales")
    TeamFactory(organization=p.other_org, name="Globex team")
    assert selectors.digest_teams(p.manager) == [p.support]
    assert selectors.digest_teams(p.member) == [p.support]
    assert selectors.digest_teams(p.admin) == [sales, p.support]


# --- Once per person per week -----------------------------------------------------------------


def test_a_second_run_the_same_week_sends_nothing(scene, django_capture_on_commit_callbacks):
    p = scene
    with django_capture_on_commit_callbacks() as queued:
        first = run(FRIDAY_9_LONDON + dt.timedelta(minutes=1))
        again = run(FRIDAY_9_LONDON + dt.timedelta(minutes=16))
        later = run(FRIDAY_9_LONDON + dt.timedelta(hours=3))
    assert first == {"sent": 2, "organizations": [p.org.pk]}
    assert again == later == {"sent": 0, "organizations": []}
    assert len(queued) == 2  # one e-mail queued each
    assert DigestSent.objects.count() == 2
    assert Delivery.objects.filter(kind="weekly_digest").count() == 2
    assert not Notification.objects.exists()  # an e-mail only, no in-app notice
    sent = DigestSent.objects.get(membership=p.manager)
    assert (sent.week, sent.date_from, sent.date_to) == (MONDAY, dt.date(2026, 11, 28), dt.date(2026, 12, 4))
    assert sent.delivery_id == Delivery.objects.get(recipient_id=p.manager.pk).pk


def test_two_runs_racing_for_the_same_digest_send_it_once(scene):
    """The second claim finds the unique row and sends nothing, even though it saw the
    digest as due (as a second beat's run does at the same moment)."""
    p = scene
    slot = selectors.latest_slot(4, 9, LONDON, FRIDAY_9_LONDON)
    assert services.digest_send(membership=p.manager, slot=slot) is not None
    assert services.digest_send(membership=p.manager, slot=slot) is None
    assert Delivery.objects.filter(recipient_id=p.manager.pk).count() == 1


def test_next_week_it_is_sent_again(scene):
    run(FRIDAY_9_LONDON)
    assert run(FRIDAY_9_LONDON + dt.timedelta(days=7))["sent"] == 2
    assert sorted(DigestSent.objects.filter(membership=scene.manager).values_list("week", flat=True)) == [
        MONDAY,
        MONDAY + dt.timedelta(days=7),
    ]


def test_moving_the_hour_after_it_went_does_not_send_it_twice_that_week(scene):
    p = scene
    run(FRIDAY_9_LONDON)
    services.digest_preference_set(actor=p.manager, hour=11)
    assert run(utc(2026, 12, 4, 11, 0))["sent"] == 0


def test_someone_on_no_team_gets_nothing(scene):
    p = scene
    services.digest_preference_set(actor=p.other_org.memberships.first() or p.outsider, enabled=True)
    assert selectors.digest_teams(p.outsider) == []
    run(FRIDAY_9_LONDON)
    assert not DigestSent.objects.filter(membership=p.outsider).exists()


def test_the_task_skips_when_another_holds_the_lock(scene):
    """The lock only saves work (PostgreSQL's advisory lock is per session, so the
    other holder is played here)."""
    from contextlib import contextmanager
    from unittest import mock

    @contextmanager
    def held_elsewhere(name):
        assert name == "dashboards.send_digests"
        yield False

    with mock.patch("dashboards.tasks.database_lock", held_elsewhere):
        assert send_digests() == {"skipped": True}
    assert not DigestSent.objects.exists()


# --- The e-mail -------------------------------------------------------------------------------


def _deliver(delivery_id):
    with time_machine.travel(FRIDAY_9_LONDON + dt.timedelta(minutes=2), tick=False):
        deliver_notification(delivery_id)
    return Delivery.objects.get(pk=delivery_id)


def test_the_email_is_the_brief_in_short_with_a_link_and_an_unsubscribe(scene):
    p = scene
    for n in range(5):
        with time_machine.travel(FRIDAY_9_LONDON - dt.timedelta(days=1), tick=False):
            WinFactory(organization=p.org, team=p.support, author=p.member, title=f"Win number {n}")
    run(FRIDAY_9_LONDON)
    delivery = _deliver(DigestSent.objects.get(membership=p.manager).delivery_id)
    assert delivery.status == Delivery.Status.SENT
    (email,) = [m for m in mail.outbox if m.to == [p.manager.user.email]]
    assert email.subject == "Weekly digest: Support (28 Nov to 4 Dec 2026)"
    assert "Wins: 5" in email.body and "Win number 4" in email.body and "… and 2 more" in email.body
    assert "Win number 1" not in email.body  # the top three only
    assert f"/dashboard/brief/?team={p.support.pk}&from=2026-11-28&to=2026-12-04" in email.body
    token = services.unsubscribe_token(p.manager)
    assert f"/dashboard/digest/unsubscribe/{token}/" in email.body
    html, kind = email.alternatives[0]
    assert kind == "text/html" and "Win number 4" in html and token in html
    assert token not in delivery.message  # the stored row never holds the link
    # The mail client's own one-click unsubscribe (RFC 8058) posts to the same link.
    assert email.extra_headers["List-Unsubscribe"] == f"<{settings.SITE_URL}/dashboard/digest/unsubscribe/{token}/>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_members_digest_links_to_their_team_page_not_the_brief(scene):
    p = scene
    services.digest_preference_set(actor=p.member, enabled=True)
    run(FRIDAY_9_LONDON)
    _deliver(DigestSent.objects.get(membership=p.member).delivery_id)
    (email,) = [m for m in mail.outbox if m.to == [p.member.user.email]]
    assert f"/teams/{p.support.pk}/" in email.body and "/dashboard/brief/" not in email.body


def test_unsubscribing_after_it_was_queued_stops_it(scene):
    p = scene
    run(FRIDAY_9_LONDON)
    services.digest_unsubscribe(membership=p.manager)
    delivery = _deliver(DigestSent.objects.get(membership=p.manager).delivery_id)
    assert delivery.status == Delivery.Status.FAILED
    assert "unsubscribed" in delivery.last_error
    assert not [m for m in mail.outbox if m.to == [p.manager.user.email]]


def test_a_suppressed_score_reads_not_enough_responses(scene):
    from surveys.tests.test_scores_api import snap

    p = scene
    snap(p.org, "team", p.support.pk, "engagement", MONDAY, 81.0, granularity="week", suppressed=True)
    snap(p.org, "team", p.support.pk, "nps", MONDAY, 42.0, granularity="week")
    summary = selectors.digest_summary(
        membership=p.manager, teams=[p.support], date_from=dt.date(2026, 11, 28), date_to=dt.date(2026, 12, 4)
    )
    lines = {line.label: line.value for line in summary.scores}
    assert lines["Engagement"] == "not enough responses"
    assert "81" not in str(summary.scores)


# --- Tokens and preferences --------------------------------------------------------------------


def test_a_token_names_one_person_and_a_forged_one_nobody(scene):
    p = scene
    token = services.unsubscribe_token(p.manager)
    assert services.membership_for_token(token) == p.manager
    assert services.membership_for_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert services.membership_for_token(f"{p.admin.pk}") is None
    assert services.membership_for_token("") is None


def test_unsubscribe_stops_only_that_person_and_keeps_their_hour(scene):
    p = scene
    services.digest_preference_set(actor=p.manager, weekday=1, hour=7)
    services.digest_unsubscribe(membership=p.manager)
    pref = DigestPreference.objects.get(membership=p.manager)
    assert (pref.enabled, pref.weekday, pref.hour) == (False, 1, 7)
    assert not DigestPreference.objects.filter(membership=p.admin).exists()


@pytest.mark.parametrize(
    ("changes", "field"), [({"weekday": 7}, "weekday"), ({"hour": 24}, "hour"), ({"hour": -1}, "hour")]
)
def test_a_bad_day_or_hour_is_refused_and_changes_nothing(scene, changes, field):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        services.digest_preference_set(actor=scene.manager, **changes)
    assert field in refused.value.message_dict
    assert not DigestPreference.objects.exists()


# --- Queries ----------------------------------------------------------------------------------


def _people(p, count):
    for _ in range(count):
        manager = TeamMembershipFactory(team=p.support, membership__organization=p.org).membership
        manager.role = "manager"
        manager.save(update_fields=["role"])
    for _ in range(count):
        member = TeamMembershipFactory(team=p.support, membership__organization=p.org).membership
        services.digest_preference_set(actor=member, enabled=True)


def _due_queries(p):
    with CaptureQueriesContext(connection) as queries:
        due = selectors.due_digests(p.org, now=FRIDAY_9_LONDON)
    return len(due), queries


def test_finding_who_is_due_takes_the_same_queries_for_1_and_50_people(scene):
    p = scene
    _people(p, 1)
    due_1, one = _due_queries(p)
    _people(p, 49)
    due_50, fifty = _due_queries(p)
    assert (due_1, due_50) == (2 + 2, 2 + 2 * 50)
    assert len(one) == len(fifty) == 2, "\n".join(q["sql"] for q in fifty)


def _summary_queries(p):
    with time_machine.travel(FRIDAY_9_LONDON, tick=False), CaptureQueriesContext(connection) as queries:
        summary = selectors.digest_summary(
            membership=p.manager, teams=[p.support], date_from=dt.date(2026, 11, 28), date_to=dt.date(2026, 12, 4)
        )
    return summary, queries


def _rows(p, count, prefix):
    from customers.tests.factories import CustomerAccountFactory
    from work.tests.factories import HandoffFactory

    account = CustomerAccountFactory(organization=p.org, owning_team=p.support)
    with time_machine.travel(FRIDAY_9_LONDON - dt.timedelta(days=1), tick=False):
        for n in range(count):
            WinFactory(organization=p.org, team=p.support, author=p.member, account=account, title=f"{prefix} {n}")
            HandoffFactory(
                organization=p.org, account=account, sender=p.member, sender_team=p.support, to_member=p.manager
            )


def test_the_summary_takes_the_same_queries_for_1_and_50_rows(scene):
    p = scene
    _rows(p, 1, "One")
    small, one = _summary_queries(p)
    _rows(p, 49, "Many")
    large, fifty = _summary_queries(p)
    assert (small.sections[0].count, large.sections[0].count) == (1, 50)
    assert large.sections[2].count == 50
    assert len(one) == len(fifty), "\n".join(q["sql"] for q in fifty)


def test_the_email_is_queued_on_commit_not_on_rollback(scene, django_capture_on_commit_callbacks):
    from django.db import transaction

    slot = selectors.latest_slot(4, 9, LONDON, FRIDAY_9_LONDON)
    with django_capture_on_commit_callbacks() as queued, pytest.raises(RuntimeError), transaction.atomic():
        services.digest_send(membership=scene.manager, slot=slot)
        raise RuntimeError("the caller's transaction fails")
    assert queued == []
    assert not DigestSent.objects.exists() and not Delivery.objects.exists()


def test_the_task_runs_on_the_notifications_queue_and_survives_a_lost_worker():
    from django.conf import settings

    assert (send_digests.queue, send_digests.acks_late, send_digests.reject_on_worker_lost) == (
        "notifications",
        True,
        True,
    )
    assert send_digests.time_limit < settings.BROKER_VISIBILITY_TIMEOUT
    assert settings.CELERY_BEAT_SCHEDULE["send-weekly-digests"]["task"] == "dashboards.send_digests"
