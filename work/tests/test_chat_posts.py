"""What daily work posts to team chats, and what becomes of those posts: a handoff to
a team and a spotlight of its win are posted, an SLA breach once; a post that fails
(the chat server is gone, redirecting, down, or the address is bad or points inward)
never undoes the handoff, and an admin sends it again to the team's address as it is
then. Posts go to a real local server (the ``webhook`` fixture)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from customers.tests.factories import CustomerAccountFactory
from notifications import services as notification_services
from notifications.models import Delivery
from notifications.tasks import MAX_ATTEMPTS, deliver_notification
from notifications.webhooks import WebhookError
from teams.models import Team
from teams.tests.factories import TeamFactory, TeamMembershipFactory, ValueFactory
from work import services
from work.notices import notify_sla_breaches

pytestmark = pytest.mark.django_db


@pytest.fixture
def support(personas, webhook):
    team = TeamFactory(organization=personas.org, name="Support", webhook_url=webhook.url)
    team.managers.add(personas.manager)
    TeamMembershipFactory(team=team, membership=personas.member)
    return team


@pytest.fixture
def account(personas):
    return CustomerAccountFactory(organization=personas.org, name="Northwind")


def _webhook_deliveries():
    return Delivery.objects.filter(channel=Delivery.Channel.WEBHOOK)


def _deliver_all():
    for pk in Delivery.objects.filter(status=Delivery.Status.PENDING).values_list("pk", flat=True):
        deliver_notification(pk)


# --- What is posted -----------------------------------------------------------------------


def test_a_handoff_to_the_team_is_posted_to_its_webhook(personas, support, account, webhook):
    services.handoff_create(actor=personas.admin, account=account, subject="Returns spike", to_team=support)

    post = _webhook_deliveries().get()
    assert (post.recipient_type, post.recipient_id, post.recipient_name) == ("team", support.pk, "Support")
    assert (post.target, post.notification) == (webhook.url, None)
    assert post.shown_target == "http://127.0.0.1/…"
    _deliver_all()

    assert webhook.content_types == ["application/json"]
    (text,) = webhook.texts
    assert "handed Support “Returns spike”" in text
    handoff = support.handoffs_received.get()
    assert text.endswith(f"/handoffs/{handoff.pk}/")  # a link to the handoff itself
    post.refresh_from_db()
    assert (post.status, post.attempts) == (Delivery.Status.SENT, 1)


def test_a_handoff_to_a_person_is_not_posted_to_their_team(personas, support, account, webhook):
    services.handoff_create(actor=personas.admin, account=account, subject="Quote", to_member=personas.member)

    assert not _webhook_deliveries().exists()


def test_a_spotlight_of_a_team_win_is_posted(personas, support, webhook):
    value = ValueFactory(organization=personas.org)
    win = services.win_create(actor=personas.member, title="Saved the spring order", values=[value], team=support)

    services.win_spotlight(actor=personas.manager, win=win, note="Owned it end to end")
    _deliver_all()

    (text,) = webhook.texts  # the win itself is not posted, its spotlight is
    assert "Saved the spring order" in text and f"/wins/{win.pk}/" in text


def test_an_sla_breach_of_a_team_handoff_is_posted_once(personas, support, account, webhook):
    sent = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(sent, tick=False):
        services.handoff_create(actor=personas.admin, account=account, subject="Waiting", to_team=support)
    _deliver_all()

    with time_machine.travel(sent + dt.timedelta(hours=25), tick=False):
        notify_sla_breaches()
        notify_sla_breaches()
    _deliver_all()

    assert len(webhook.texts) == 2
    assert "has waited more than 24 h" in webhook.texts[1]


def test_a_team_without_a_webhook_gets_no_post(personas, account):
    team = TeamFactory(organization=personas.org)

    services.handoff_create(actor=personas.admin, account=account, subject="Quiet", to_team=team)

    assert not _webhook_deliveries().exists()


# --- When it does not arrive --------------------------------------------------------------


def _post(personas, support, account) -> Delivery:
    services.handoff_create(actor=personas.admin, account=account, subject="Returns", to_team=support)
    return _webhook_deliveries().get()


def test_a_webhook_that_is_gone_fails_at_once_and_the_handoff_stays(personas, support, account, webhook):
    webhook.status = 404
    post = _post(personas, support, account)

    deliver_notification(post.pk)  # no retry: it will not come back

    post.refresh_from_db()
    assert (post.status, post.attempts) == (Delivery.Status.FAILED, 1)
    assert "HTTP 404" in post.last_error
    assert support.handoffs_received.filter(subject="Returns").exists()


def test_a_redirect_is_not_followed(personas, support, account, webhook):
    webhook.status, webhook.location = 302, "http://127.0.0.1:9/elsewhere"
    post = _post(personas, support, account)

    deliver_notification(post.pk)

    post.refresh_from_db()
    assert (post.status, len(webhook.received)) == (Delivery.Status.FAILED, 1)
    assert "HTTP 302" in post.last_error


def test_a_webhook_that_is_down_is_retried_then_failed(personas, support, account, webhook):
    webhook.status = 503
    post = _post(personas, support, account)

    with pytest.raises(WebhookError, match="HTTP 503"):  # called directly, a retry re-raises
        deliver_notification(post.pk)
    post.refresh_from_db()
    assert (post.status, post.attempts) == (Delivery.Status.PENDING, 1)

    deliver_notification.push_request(retries=MAX_ATTEMPTS - 1)
    try:
        deliver_notification(post.pk)  # the last attempt gives up quietly
    finally:
        deliver_notification.pop_request()
    post.refresh_from_db()
    assert (post.status, post.attempts) == (Delivery.Status.FAILED, 2)


# --- Sending again -----------------------------------------------------------------------


def test_an_admin_sends_a_failed_post_again_to_the_corrected_address(personas, support, account, webhook):
    webhook.status = 404
    post = _post(personas, support, account)
    deliver_notification(post.pk)
    webhook.status = 200
    corrected = webhook.url.replace("secret", "new-secret")
    Team.objects.filter(pk=support.pk).update(webhook_url=corrected)

    notification_services.delivery_retry(actor=personas.admin, delivery=Delivery.objects.get(pk=post.pk))
    post.refresh_from_db()
    assert (post.status, post.attempts, post.target, post.last_error) == (Delivery.Status.PENDING, 0, corrected, "")
    deliver_notification(post.pk)

    post.refresh_from_db()
    assert post.status == Delivery.Status.SENT
    assert len(webhook.received) == 2


def test_a_post_for_a_team_that_dropped_its_webhook_has_nowhere_to_go(personas, support, account):
    post = _post(personas, support, account)
    Delivery.objects.filter(pk=post.pk).update(status=Delivery.Status.FAILED)
    Team.objects.filter(pk=support.pk).update(webhook_url="")

    with pytest.raises(ValidationError, match="no webhook any more"):
        notification_services.delivery_retry(actor=personas.admin, delivery=Delivery.objects.get(pk=post.pk))
    assert Delivery.objects.get(pk=post.pk).status == Delivery.Status.FAILED


def test_send_all_failed_again_skips_those_with_nowhere_to_go(personas, support, account):
    services.handoff_create(actor=personas.admin, account=account, subject="One", to_team=support)
    services.handoff_create(actor=personas.admin, account=account, subject="Two", to_member=personas.manager)
    Delivery.objects.update(status=Delivery.Status.FAILED, attempts=MAX_ATTEMPTS)
    other = TeamFactory(organization=personas.org, webhook_url="")
    Delivery.objects.create(
        organization=personas.org,
        recipient_type="team",
        recipient_id=other.pk,
        channel=Delivery.Channel.WEBHOOK,
        target="https://x.io/h",
        message="Old",
        status=Delivery.Status.FAILED,
    )

    # Three e-mails (member and manager for One, manager for Two) and Support's post;
    # not the post for a team whose webhook is gone.
    assert notification_services.deliveries_retry_failed(actor=personas.admin) == 4
    assert Delivery.objects.filter(status=Delivery.Status.FAILED).count() == 1
    assert not Delivery.objects.filter(status=Delivery.Status.PENDING, attempts__gt=0).exists()


def test_sending_again_starts_the_stalled_sweep_afresh(personas, support, account):
    post = _post(personas, support, account)
    Delivery.objects.filter(pk=post.pk).update(
        status=Delivery.Status.FAILED, requeued_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )

    resent = dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(resent, tick=False):
        notification_services.delivery_retry(actor=personas.admin, delivery=post)

    post.refresh_from_db()
    assert (post.requeued_at, post.queued_at) == (None, resent)


def test_an_email_to_someone_who_left_is_not_sent_again(personas, support, account):
    services.handoff_create(actor=personas.admin, account=account, subject="Gone", to_member=personas.member)
    Delivery.objects.update(status=Delivery.Status.FAILED)
    personas.member.__class__.objects.filter(pk=personas.member.pk).update(is_active=False)
    email = Delivery.objects.get(channel=Delivery.Channel.EMAIL)

    with pytest.raises(ValidationError, match="has left"):
        notification_services.delivery_retry(actor=personas.admin, delivery=email)
    assert notification_services.deliveries_retry_failed(actor=personas.admin) == 0


# --- Posts come from the server: a bad or inward address -------------------------------


def test_a_saved_address_that_now_points_inward_fails_at_once(personas, support, account, webhook, settings):
    post = _post(personas, support, account)
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False  # the operator closed it since

    deliver_notification(post.pk)

    post.refresh_from_db()
    assert (post.status, post.attempts) == (Delivery.Status.FAILED, 1)
    assert "private or local address" in post.last_error
    assert webhook.received == []


def test_typed_markup_cannot_ping_the_channel_or_disguise_a_link(personas, support, account, webhook):
    subject = "<!channel> see <https://evil.example|TeamHub> & more"
    services.handoff_create(actor=personas.admin, account=account, subject=subject, to_team=support)
    _deliver_all()

    (text,) = webhook.texts
    assert "&lt;!channel&gt; see &lt;https://evil.example|TeamHub&gt; &amp; more" in text
    assert "<!channel>" not in text


def test_a_malformed_saved_address_fails_without_repeating_it(personas, support, account, webhook):
    post = _post(personas, support, account)
    # Saved before addresses were checked; each send posts to the team's address as it is now.
    Team.objects.filter(pk=support.pk).update(webhook_url=webhook.url + " secret-part")

    deliver_notification(post.pk)

    post.refresh_from_db()
    assert post.status == Delivery.Status.FAILED
    assert post.last_error == "The webhook address is malformed: set it again."
