"""What daily work tells people (work/notices.py): who hears about a handoff, a
decline and a spotlight, the SLA sweep, and their e-mails sent after commit with
bounded retries, a failed delivery never undoing the save that caused it."""

import datetime as dt
from smtplib import SMTPException
from unittest import mock

import pytest
import time_machine
from django.core import mail

from customers.tests.factories import CustomerAccountFactory
from notifications import services as notification_services
from notifications.models import Delivery, Notification
from notifications.services import deliveries_requeue_stalled
from notifications.tasks import MAX_ATTEMPTS, deliver_notification
from teams.tests.factories import TeamFactory, TeamMembershipFactory, ValueFactory
from work import services
from work.models import Handoff
from work.notices import Kind, notify_sla_breaches

pytestmark = pytest.mark.django_db

SENT = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def account(personas):
    return CustomerAccountFactory(organization=personas.org)


@pytest.fixture
def support(personas):
    team = TeamFactory(organization=personas.org, name="Support")
    team.managers.add(personas.manager)
    TeamMembershipFactory(team=team, membership=personas.member)
    return team


def _hand_to_manager(personas, account, subject: str):
    return services.handoff_create(actor=personas.member, account=account, subject=subject, to_member=personas.manager)


def _kinds(membership) -> list[str]:
    return list(Notification.objects.filter(recipient=membership).values_list("kind", flat=True))


def test_a_handoff_to_a_person_notifies_them_and_queues_their_email_after_commit(
    personas, account, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(deliver_notification, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        handoff = _hand_to_manager(personas, account, "Quote for 40 jackets")
        send.assert_not_called()  # not before the commit

    assert _kinds(personas.manager) == [Kind.HANDOFF_TO_YOU]
    assert _kinds(personas.member) == []
    delivery = Delivery.objects.get()
    assert (delivery.target, delivery.status) == (personas.manager.user.email, Delivery.Status.PENDING)
    send.assert_called_once_with(args=(delivery.pk,), kwargs={})
    assert (Notification.objects.get().about_type, Notification.objects.get().about_id) == ("handoff", handoff.pk)


def test_a_handoff_to_a_team_notifies_its_members_and_managers_but_not_the_sender(personas, account, support):
    services.handoff_create(actor=personas.admin, account=account, subject="Returns spike", to_team=support)

    assert _kinds(personas.member) == [Kind.HANDOFF_TO_TEAM]
    assert _kinds(personas.manager) == [Kind.HANDOFF_TO_TEAM]
    assert _kinds(personas.admin) == []


def test_a_declined_handoff_tells_the_sender_why(personas, account):
    handoff = _hand_to_manager(personas, account, "Quote")

    services.handoff_decline(actor=personas.manager, handoff=handoff, reason="Sales prices quotes, not us")

    notification = Notification.objects.get(recipient=personas.member)
    assert notification.kind == Kind.HANDOFF_DECLINED
    assert "Sales prices quotes, not us" in notification.title


def test_a_spotlight_tells_the_win_author(personas, support):
    value = ValueFactory(organization=personas.org)
    win = services.win_create(actor=personas.member, title="Saved the spring order", values=[value], team=support)

    services.win_spotlight(actor=personas.manager, win=win, note="Owned it end to end")

    assert _kinds(personas.member) == [Kind.WIN_SPOTLIGHTED]


def test_the_sla_sweep_flags_each_late_open_handoff_once(personas, account):
    with time_machine.travel(SENT, tick=False):
        late = _hand_to_manager(personas, account, "Late")
        accepted = _hand_to_manager(personas, account, "Taken")
        services.handoff_accept(actor=personas.manager, handoff=accepted)
    with time_machine.travel(SENT + dt.timedelta(hours=23), tick=False):
        _hand_to_manager(personas, account, "Fresh")

    with time_machine.travel(SENT + dt.timedelta(hours=25), tick=False):
        assert notify_sla_breaches() == 1
        assert notify_sla_breaches() == 0  # once each

    breaches = Notification.objects.filter(kind=Kind.SLA_BREACH)
    assert {n.about_id for n in breaches} == {late.pk}
    assert {n.recipient_id for n in breaches} == {personas.member.pk, personas.manager.pk}


def _pending_delivery(personas, account) -> Delivery:
    _hand_to_manager(personas, account, "Quote")
    return Delivery.objects.get()


def test_delivery_sends_the_email_and_marks_it_sent(personas, account):
    delivery = _pending_delivery(personas, account)

    deliver_notification(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 1)
    assert mail.outbox[0].to == [personas.manager.user.email]
    deliver_notification(delivery.pk)  # a redelivered message sends nothing more
    assert len(mail.outbox) == 1


def test_a_failing_delivery_is_retried_then_marked_failed_and_the_handoff_stays(personas, account):
    delivery = _pending_delivery(personas, account)

    with mock.patch("notifications.tasks.EmailMultiAlternatives.send", side_effect=SMTPException("relay down")):
        with pytest.raises(SMTPException):  # called directly, a retry re-raises
            deliver_notification(delivery.pk)
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.last_error) == (Delivery.Status.PENDING, 1, "relay down")

        deliver_notification.push_request(retries=MAX_ATTEMPTS - 1)
        try:
            deliver_notification(delivery.pk)  # the last attempt gives up quietly
        finally:
            deliver_notification.pop_request()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 2)
    assert Handoff.objects.get().status == Handoff.Status.OPEN


def test_a_broker_outage_never_undoes_the_handoff(personas, account, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(deliver_notification, "apply_async", side_effect=ConnectionError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _hand_to_manager(personas, account, "Quote")

    assert Handoff.objects.filter(subject="Quote").exists()
    assert Notification.objects.filter(recipient=personas.manager).exists()


def test_mark_read_one_or_all(personas, account):
    for subject in ("One", "Two"):
        _hand_to_manager(personas, account, subject)
    first = Notification.objects.filter(recipient=personas.manager).first()

    assert notification_services.notification_mark_read(actor=personas.manager, notification=first) == 1
    assert notification_services.notification_mark_read(actor=personas.member) == 0  # nothing of theirs
    assert notification_services.notification_mark_read(actor=personas.manager) == 1
    assert not Notification.objects.unread().exists()


# --- What review found: line breaks, bugs, links, collaborators, sweeps --------------------


def test_a_reason_on_two_lines_is_one_line_in_the_notification_and_the_email_goes(personas, account):
    handoff = _hand_to_manager(personas, account, "Quote")
    services.handoff_decline(actor=personas.manager, handoff=handoff, reason="Not ours.\nAsk Finance.")
    declined = Delivery.objects.get(notification__recipient=personas.member)

    deliver_notification(declined.pk)

    declined.refresh_from_db()
    assert declined.status == Delivery.Status.SENT
    assert "Not ours. Ask Finance." in declined.notification.title
    assert mail.outbox[-1].subject.endswith("Not ours. Ask Finance.")


def test_a_delivery_that_breaks_is_failed_with_the_reason_not_left_pending(personas, account):
    delivery = _pending_delivery(personas, account)

    with mock.patch("notifications.tasks.EmailMultiAlternatives.send", side_effect=ValueError("bad header")):
        deliver_notification(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == (Delivery.Status.FAILED, "ValueError: bad header")


def test_handoff_notifications_link_to_the_handoff(personas, account):
    handoff = _hand_to_manager(personas, account, "Quote")

    assert Notification.objects.get().url == f"/handoffs/{handoff.pk}/"


def test_a_spotlight_tells_the_collaborators_too_but_not_the_spotlighter(personas, support):
    value = ValueFactory(organization=personas.org)
    win = services.win_create(
        actor=personas.member, title="Won back Brecon", values=[value], team=support, collaborators=[personas.admin]
    )

    services.win_spotlight(actor=personas.manager, win=win, note="Together, fast")

    assert _kinds(personas.member) == _kinds(personas.admin) == [Kind.WIN_SPOTLIGHTED]
    assert _kinds(personas.manager) == []


def test_a_late_handoff_is_flagged_once_even_when_nobody_can_be_told(personas, account, support):
    with time_machine.travel(SENT, tick=False):
        handoff = services.handoff_create(actor=personas.admin, account=account, subject="Orphan", to_team=support)
    personas.admin.__class__.objects.filter(pk__in=[personas.admin.pk, personas.manager.pk]).update(is_active=False)

    with time_machine.travel(SENT + dt.timedelta(hours=25), tick=False):
        assert notify_sla_breaches() == 1
        assert notify_sla_breaches() == 0

    handoff.refresh_from_db()
    assert handoff.breach_notified_at == SENT + dt.timedelta(hours=25)
    assert not Notification.objects.filter(kind=Kind.SLA_BREACH).exists()  # nobody was told


def test_a_longer_sla_is_not_late_at_the_default(personas, account):
    personas.org.handoff_sla_hours = 48
    personas.org.save()
    with time_machine.travel(SENT, tick=False):
        _hand_to_manager(personas, account, "Patient")

    with time_machine.travel(SENT + dt.timedelta(hours=30), tick=False):
        assert notify_sla_breaches() == 0
    with time_machine.travel(SENT + dt.timedelta(hours=49), tick=False):
        assert notify_sla_breaches() == 1


def test_stalled_deliveries_are_queued_again_once_then_failed(personas, account, django_capture_on_commit_callbacks):
    with time_machine.travel(SENT, tick=False):
        stalled = _pending_delivery(personas, account)  # the broker was down: no worker saw it
    with time_machine.travel(SENT + dt.timedelta(minutes=20), tick=False):
        fresh = services.handoff_create(actor=personas.admin, account=account, subject="New", to_member=personas.member)

        with (
            mock.patch.object(deliver_notification, "apply_async") as queued,
            django_capture_on_commit_callbacks(execute=True),
        ):
            assert deliveries_requeue_stalled() == 1
        queued.assert_called_once_with(args=(stalled.pk,), kwargs={})
    assert Delivery.objects.get(notification__about_type="handoff", notification__about_id=fresh.pk).requeued_at is None

    with time_machine.travel(SENT + dt.timedelta(minutes=40), tick=False):
        assert deliveries_requeue_stalled() == 1  # now the newer one, 20 minutes old
    stalled.refresh_from_db()
    assert stalled.status == Delivery.Status.FAILED
    assert "check that the Celery worker runs" in stalled.last_error
