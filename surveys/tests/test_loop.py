"""Closing the loop (surveys/services/loop.py): a detractor's feedback opens one
follow-up for the owning team, owned by the account lead or the team's managers, due
within the detractor SLA in working days, and tells them in the app, by e-mail and in
the team's chat; a promoter is flagged; however often the same feedback arrives, or a
score changes, one follow-up at most."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection

from customers import services as customer_services
from customers.models import FollowUp
from customers.tests.factories import ContactFactory, CustomerAccountFactory
from notifications.models import Delivery, Notification
from notifications.tasks import deliver_notification
from surveys import services
from surveys.models import NpsFeedback, NpsRound
from surveys.notices import Kind
from surveys.services.feedback import RECORD_FEEDBACK
from surveys.services.loop import HISTORY_DAYS, add_working_days, feedback_close_loop
from teamhub.lib.actors import system_actor
from teams.tests.factories import TeamMembershipFactory

pytestmark = pytest.mark.django_db

# Thursday 3 December 2026, noon in London; already Friday 01:00 in Auckland.
THURSDAY_NOON = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)
OUTCOME_NEEDED = (
    "This follow-up came from a customer's feedback: say what was done (or why it is dropped) before closing it."
)


@pytest.fixture
def shop(acme, webhook):
    """Northwind, owned by Support (Bob manages it; its chat is a local webhook), with
    Dan as its lead and Jo as a contact."""
    acme.support.webhook_url = webhook.url
    acme.support.save(update_fields=["webhook_url"])
    acme.account = CustomerAccountFactory(
        organization=acme.org, name="Northwind", owning_team=acme.support, lead=acme.dan
    )
    acme.contact = ContactFactory(account=acme.account, name="Jo Buyer")
    acme.webhook = webhook
    return acme


def _record(p, score, *, external_id="", channel="webhook", kind="nps", comment="Late twice this month.", **extra):
    actor = system_actor(p.org, "the test webhook", RECORD_FEEDBACK)
    return services.feedback_record(
        actor=actor,
        account=p.account,
        contact=p.contact,
        score=score,
        kind=kind,
        comment=comment,
        channel=channel,
        external_id=external_id,
        **extra,
    )


# --- Working days ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (dt.date(2026, 12, 3), 2, dt.date(2026, 12, 7)),  # Thursday → Monday, over the weekend
        (dt.date(2026, 12, 4), 2, dt.date(2026, 12, 8)),  # Friday → Tuesday
        (dt.date(2026, 12, 5), 2, dt.date(2026, 12, 8)),  # Saturday: Monday is the first working day
        (dt.date(2026, 12, 6), 1, dt.date(2026, 12, 7)),  # Sunday → Monday
        (dt.date(2026, 12, 7), 2, dt.date(2026, 12, 9)),  # Monday → Wednesday
        (dt.date(2026, 12, 5), 0, dt.date(2026, 12, 7)),  # no SLA: the next working day
        (dt.date(2026, 12, 2), 0, dt.date(2026, 12, 2)),
    ],
)
def test_working_days_skip_saturdays_and_sundays(start, days, due):
    assert add_working_days(start, days) == due


# --- A detractor ---------------------------------------------------------------------------------


@time_machine.travel(THURSDAY_NOON, tick=False)
def test_a_detractor_opens_one_follow_up_for_the_owning_team_owned_by_the_lead(shop):
    feedback, created = _record(shop, 3, external_id="ev-1")

    follow_up = FollowUp.objects.get()
    assert created
    assert (follow_up.account, follow_up.team, follow_up.owner, follow_up.contact) == (
        shop.account,
        shop.support,
        shop.dan,
        shop.contact,
    )
    assert follow_up.summary == "NPS 3/10 from Jo Buyer: “Late twice this month.”"
    assert follow_up.status == FollowUp.Status.OPEN
    assert follow_up.created_by is None  # TeamHub opened it
    # London: Thursday, two working days → Monday.
    assert follow_up.due_date == dt.date(2026, 12, 7)
    assert NpsFeedback.objects.get(pk=feedback.pk).follow_up == follow_up
    assert feedback.follow_up == follow_up


@time_machine.travel(THURSDAY_NOON, tick=False)
def test_the_due_date_counts_working_days_in_the_organisations_time_zone(shop):
    """In Auckland it is already Friday: two working days run to Tuesday."""
    shop.org.timezone = "Pacific/Auckland"
    shop.org.detractor_sla_days = 2
    shop.org.save(update_fields=["timezone", "detractor_sla_days"])

    _record(shop, 0)

    assert FollowUp.objects.get().due_date == dt.date(2026, 12, 8)


@time_machine.travel(THURSDAY_NOON, tick=False)
def test_the_sla_is_the_organisations_setting(shop):
    shop.org.detractor_sla_days = 5
    shop.org.save(update_fields=["detractor_sla_days"])

    _record(shop, 6)

    assert FollowUp.objects.get().due_date == dt.date(2026, 12, 10)


def test_without_a_lead_the_first_manager_owns_it_and_every_manager_is_told(shop):
    second = TeamMembershipFactory(team=shop.support, membership__organization=shop.org).membership
    shop.support.managers.add(second)
    shop.account.lead = None
    shop.account.save(update_fields=["lead"])

    _record(shop, 2)

    follow_up = FollowUp.objects.get()
    first = min(shop.manager, second, key=lambda m: m.pk)
    assert follow_up.owner == first
    told = set(Notification.objects.filter(kind=Kind.DETRACTOR_FOLLOW_UP).values_list("recipient", flat=True))
    assert told == {shop.manager.pk, second.pk}


def test_a_lead_who_left_gives_way_to_the_managers(shop):
    shop.dan.is_active = False
    shop.dan.save(update_fields=["is_active"])

    _record(shop, 4)

    assert FollowUp.objects.get().owner == shop.manager


@time_machine.travel(THURSDAY_NOON, tick=False)
def test_the_owner_is_told_in_the_app_by_email_and_the_team_chat_hears_of_it(shop):
    _record(shop, 3, comment="The delivery came late <!channel>")
    follow_up = FollowUp.objects.get()

    notification = Notification.objects.get(kind=Kind.DETRACTOR_FOLLOW_UP)
    assert notification.recipient == shop.dan
    assert (notification.about_type, notification.about_id) == ("follow_up", follow_up.pk)
    assert notification.url == f"/customers/{shop.account.pk}/#follow-up-{follow_up.pk}"
    assert "Northwind" in notification.title and "due Monday 7 December" in notification.title
    deliveries = Delivery.objects.filter(kind=Kind.DETRACTOR_FOLLOW_UP)
    assert sorted(deliveries.values_list("channel", flat=True)) == [Delivery.Channel.EMAIL, Delivery.Channel.WEBHOOK]

    for delivery in deliveries:
        deliver_notification(delivery.pk)

    assert [m.to for m in mail.outbox] == [[shop.dan.user.email]]
    assert "NPS 3/10 from Jo Buyer" in mail.outbox[0].subject
    assert len(shop.webhook.texts) == 1
    posted = shop.webhook.texts[0]
    assert "NPS 3/10 from Jo Buyer" in posted
    assert "<!channel>" not in posted  # the customer's words cannot ping the channel
    assert set(deliveries.values_list("status", flat=True)) == {Delivery.Status.SENT}


def test_another_team_hears_nothing(shop):
    _record(shop, 1)

    assert not Notification.objects.filter(recipient__in=[shop.eve, shop.admin, shop.member]).exists()


@pytest.mark.parametrize(("kind", "score", "opens"), [("nps", 6, True), ("nps", 7, False), ("nps", 10, False)])
def test_only_nps_0_to_6_is_a_detractor(shop, kind, score, opens):
    _record(shop, score, kind=kind)

    assert FollowUp.objects.exists() is opens


@pytest.mark.parametrize(("score", "opens"), [(1, True), (2, True), (3, False), (5, False)])
def test_csat_1_and_2_are_detractors(shop, score, opens):
    _record(shop, score, kind="csat")

    assert FollowUp.objects.exists() is opens
    if opens:
        assert FollowUp.objects.get().summary.startswith(f"CSAT {score}/5 from Jo Buyer")


def test_a_detractor_without_a_comment_still_opens_one(shop):
    _record(shop, 0, comment="")

    assert FollowUp.objects.get().summary == "NPS 0/10 from Jo Buyer (no comment): call them back"


def test_a_long_comment_is_cut_in_the_summary(shop):
    _record(shop, 2, comment="word " * 200)

    summary = FollowUp.objects.get().summary
    assert len(summary) == 200 and summary.endswith("…”")


def test_history_older_than_the_window_opens_no_follow_up(shop):
    """An import of last year's answers counts for the scores, but nobody is asked to
    call back a customer about last year."""
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=HISTORY_DAYS + 1)
    recent = dt.datetime.now(dt.UTC) - dt.timedelta(days=HISTORY_DAYS - 1)

    _record(shop, 2, channel="import", external_id="row-1", received_at=old)
    assert not FollowUp.objects.exists()
    _record(shop, 2, channel="import", external_id="row-2", received_at=recent)
    assert FollowUp.objects.count() == 1


# --- Twice, never two ---------------------------------------------------------------------------


def test_the_same_feedback_delivered_twice_opens_one_follow_up(shop):
    first, created = _record(shop, 3, external_id="ev-1")
    again, created_again = _record(shop, 3, external_id="ev-1")

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert FollowUp.objects.count() == 1
    assert Notification.objects.filter(kind=Kind.DETRACTOR_FOLLOW_UP).count() == 1


def test_a_re_import_opens_no_second_follow_up(shop):
    for _ in range(3):
        _record(shop, 1, channel="import", external_id="nps-2026-0042")

    assert FollowUp.objects.count() == 1


def test_running_the_loop_again_opens_no_second_follow_up(shop):
    feedback, _ = _record(shop, 3)

    assert feedback_close_loop(feedback=feedback) is None
    assert feedback_close_loop(feedback=NpsFeedback.objects.get(pk=feedback.pk)) is None
    assert FollowUp.objects.count() == 1


def test_a_stale_copy_without_the_link_still_opens_no_second(shop):
    """The guard is the row, not the caller's copy: a copy read before the link was
    made (another worker's) opens nothing."""
    feedback, _ = _record(shop, 7)
    stale = NpsFeedback.objects.get(pk=feedback.pk)
    NpsFeedback.objects.filter(pk=feedback.pk).update(score=3)
    feedback_close_loop(feedback=NpsFeedback.objects.get(pk=feedback.pk))

    assert feedback_close_loop(feedback=stale) is None
    assert FollowUp.objects.count() == 1


def _race(target, copies: int = 2) -> list[Exception]:
    """Run ``target`` in ``copies`` threads released at once; returns their errors."""
    barrier = threading.Barrier(copies)
    errors: list[Exception] = []

    def run():
        try:
            barrier.wait()
            target()
        except Exception as error:  # collected for the assertion
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


def _allowed(errors):
    # PostgreSQL runs both copies (the row lock makes the second wait, then see the
    # link); SQLite has one writer at a time and may refuse the second outright
    # ("database is locked"). Either way, no second follow-up.
    if connection.vendor == "postgresql":
        assert errors == []
    assert all(isinstance(e, OperationalError) for e in errors), errors


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_of_the_same_feedback_racing_open_one_follow_up(shop):
    errors = _race(lambda: _record(shop, 2, external_id="ev-race"))

    _allowed(errors)
    assert NpsFeedback.objects.filter(external_id="ev-race").count() == 1
    assert FollowUp.objects.count() == 1
    assert Notification.objects.filter(kind=Kind.DETRACTOR_FOLLOW_UP).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_loops_racing_on_one_feedback_open_one_follow_up(shop):
    feedback, _ = _record(shop, 8)
    NpsFeedback.objects.filter(pk=feedback.pk).update(score=1)

    errors = _race(lambda: feedback_close_loop(feedback=NpsFeedback.objects.get(pk=feedback.pk)))

    _allowed(errors)
    assert FollowUp.objects.count() == 1
    assert NpsFeedback.objects.get(pk=feedback.pk).follow_up is not None


# --- A changed score -----------------------------------------------------------------------------


@pytest.fixture
def nps_round(shop):
    return NpsRound.objects.create(organization=shop.org, title="Autumn NPS", status=NpsRound.Status.OPEN)


def test_a_7_changed_to_3_opens_the_follow_up(shop, nps_round):
    _record(shop, 7, channel="link", round_=nps_round)
    assert not FollowUp.objects.exists()

    _record(shop, 3, channel="link", round_=nps_round, comment="Thinking again: no.")

    follow_up = FollowUp.objects.get()
    assert NpsFeedback.objects.get().follow_up == follow_up
    assert follow_up.summary == "NPS 3/10 from Jo Buyer: “Thinking again: no.”"


def test_a_3_changed_to_8_or_back_to_2_opens_no_second(shop, nps_round):
    _record(shop, 3, channel="link", round_=nps_round)
    _record(shop, 8, channel="link", round_=nps_round)
    _record(shop, 2, channel="link", round_=nps_round)

    assert FollowUp.objects.count() == 1
    assert NpsFeedback.objects.get().score == 2


# --- Promoters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "score", "flagged"), [("nps", 9, True), ("nps", 10, True), ("nps", 8, False)])
def test_a_promoter_is_flagged_as_a_possible_reference(shop, kind, score, flagged):
    feedback, _ = _record(shop, score, kind=kind)

    assert NpsFeedback.objects.get(pk=feedback.pk).possible_reference is flagged
    assert feedback.possible_reference is flagged
    assert not FollowUp.objects.exists()


def test_a_csat_5_is_a_promoter(shop):
    _record(shop, 5, kind="csat")

    assert NpsFeedback.objects.get().possible_reference


def test_a_promoter_who_changes_to_a_passive_is_no_longer_flagged(shop, nps_round):
    _record(shop, 10, channel="link", round_=nps_round)
    _record(shop, 7, channel="link", round_=nps_round)

    assert not NpsFeedback.objects.get().possible_reference


def test_thanking_a_promoter_stamps_it_once(shop):
    feedback, _ = _record(shop, 10)
    with time_machine.travel(THURSDAY_NOON, tick=False):
        services.feedback_thank(actor=shop.member, feedback=feedback)
    with time_machine.travel(THURSDAY_NOON + dt.timedelta(days=1), tick=False):
        again = services.feedback_thank(actor=shop.manager, feedback=feedback)

    assert NpsFeedback.objects.get().thanked_at == THURSDAY_NOON
    assert again.thanked_at == THURSDAY_NOON


def test_a_detractor_is_not_thanked(shop):
    feedback, _ = _record(shop, 2)

    with pytest.raises(ValidationError, match="Only promoters"):
        services.feedback_thank(actor=shop.admin, feedback=feedback)
    assert NpsFeedback.objects.get().thanked_at is None


def test_only_the_accounts_team_or_an_admin_thanks(shop):
    feedback, _ = _record(shop, 9)

    with pytest.raises(PermissionDenied):
        services.feedback_thank(actor=shop.eve, feedback=feedback)
    with pytest.raises(PermissionDenied):
        services.feedback_thank(actor=shop.outsider, feedback=feedback)
    assert NpsFeedback.objects.get().thanked_at is None


# --- Closing a follow-up that came from feedback --------------------------------------------------


def test_closing_a_feedback_follow_up_needs_what_was_done(shop):
    _record(shop, 3)
    follow_up = FollowUp.objects.get()

    for status in (FollowUp.Status.DONE, FollowUp.Status.CANCELLED):
        with pytest.raises(ValidationError) as refused:
            customer_services.follow_up_set_status(actor=shop.member, follow_up=follow_up, status=status, outcome="  ")
        assert refused.value.message_dict["outcome"] == [OUTCOME_NEEDED]
    assert FollowUp.objects.get().status == FollowUp.Status.OPEN

    customer_services.follow_up_set_status(
        actor=shop.member, follow_up=follow_up, status=FollowUp.Status.DONE, outcome="Called Jo; refunded the fee."
    )
    assert (FollowUp.objects.get().status, FollowUp.objects.get().outcome) == ("done", "Called Jo; refunded the fee.")


def test_a_closed_feedback_follow_up_keeps_its_outcome(shop):
    _record(shop, 3)
    follow_up = FollowUp.objects.get()
    customer_services.follow_up_set_status(
        actor=shop.member, follow_up=follow_up, status=FollowUp.Status.DONE, outcome="Called back."
    )

    with pytest.raises(ValidationError):
        customer_services.follow_up_update(actor=shop.member, follow_up=FollowUp.objects.get(), outcome="")
    assert FollowUp.objects.get().outcome == "Called back."


def test_other_follow_ups_still_close_without_an_outcome(shop):
    follow_up = customer_services.follow_up_create(actor=shop.member, account=shop.account, summary="Quote")

    customer_services.follow_up_set_status(actor=shop.member, follow_up=follow_up, status=FollowUp.Status.DONE)

    assert FollowUp.objects.get().status == FollowUp.Status.DONE
