"""Sending: a message about anything, to people of the organisation (in the app and by
e-mail), to a chat webhook, or to an address outside the organisation whose owner
registered how to find it again — with the address looked up again at each send."""

from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.tests.factories import MembershipFactory
from notifications import kinds, recipients
from notifications.models import Delivery, Notification
from notifications.recipients import Recipient, Unreachable, member
from notifications.services import Message, deliveries_retry_failed, delivery_retry, send
from notifications.tasks import MAX_ATTEMPTS, deliver_notification

pytestmark = pytest.mark.django_db

DIGEST = Message(kind="week_in_review", title="Your week:\nthree wins", url="/wins/", about_type="digest", about_id=7)

# An outside recipient as an app above this one would register it: a "guest" with an
# address that may change or opt out between queueing and sending.
GUESTS: dict[int, str | None] = {}


def _guest_address(guest_id, channel):
    address = GUESTS.get(guest_id)
    if address is None:
        raise Unreachable(f"Guest {guest_id} opted out.")
    return address


@pytest.fixture(autouse=True)
def guests():
    recipients.register("guest", _guest_address)
    GUESTS.clear()
    GUESTS[1] = "guest@customer.example"
    return GUESTS


def _guest(guest_id=1) -> Recipient:
    return Recipient("guest", guest_id, f"Guest {guest_id}", Delivery.Channel.EMAIL, GUESTS[guest_id])


def _deliver_all():
    for pk in Delivery.objects.filter(status=Delivery.Status.PENDING).values_list("pk", flat=True):
        deliver_notification(pk)


def test_a_person_is_told_in_the_app_once_and_by_email(personas):
    made = send(DIGEST, organization_id=personas.org.pk, to=[member(personas.member), member(personas.member)])

    (notification,) = made
    assert (notification.recipient, notification.kind, notification.url) == (
        personas.member,
        "week_in_review",
        "/wins/",
    )
    assert (notification.about_type, notification.about_id) == ("digest", 7)
    assert notification.title == "Your week: three wins"  # one line
    (email,) = Delivery.objects.all()
    assert (email.notification, email.recipient_type, email.recipient_id) == (
        notification,
        "member",
        personas.member.pk,
    )
    assert (email.recipient_name, email.target) == ("Charlie Member", "charlie@example.com")


def test_someone_who_left_is_told_nothing(personas):
    gone = MembershipFactory(organization=personas.org, is_active=False)

    assert send(DIGEST, organization_id=personas.org.pk, to=[member(gone), None]) == []
    assert not Delivery.objects.exists()


def test_the_email_carries_the_title_and_the_link(personas, settings):
    settings.SITE_URL = "https://teamhub.example.com"
    send(DIGEST, organization_id=personas.org.pk, to=[member(personas.member)])

    _deliver_all()

    (sent,) = mail.outbox
    assert (sent.to, sent.subject) == (["charlie@example.com"], "Your week: three wins")
    assert sent.body == "Your week: three wins\n\nhttps://teamhub.example.com/wins/\n\n— TeamHub"
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_an_outside_address_gets_its_own_text_and_no_in_app_notification(personas):
    survey = Message(kind="nps_survey", title="How are we doing?", url="/s/abc/", body="Dear Jo, one question.")

    assert send(survey, organization_id=personas.org.pk, to=[_guest()]) == []
    _deliver_all()

    (sent,) = mail.outbox
    assert sent.to == ["guest@customer.example"]
    assert sent.body.startswith("Dear Jo, one question.")
    assert sent.body.endswith("/s/abc/")
    assert not Notification.objects.exists()


def test_an_opt_out_after_queueing_is_honoured_when_sending(personas, guests):
    send(DIGEST, organization_id=personas.org.pk, to=[_guest()])
    guests[1] = None  # they opted out before the worker got to it

    _deliver_all()

    assert mail.outbox == []
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.last_error) == (Delivery.Status.FAILED, "Guest 1 opted out.")


def test_each_send_goes_to_the_address_as_it_is_then(personas, guests):
    send(DIGEST, organization_id=personas.org.pk, to=[_guest()])
    guests[1] = "new-address@customer.example"

    _deliver_all()

    assert mail.outbox[0].to == ["new-address@customer.example"]
    assert Delivery.objects.get().target == "new-address@customer.example"


def test_a_failed_email_is_retried_then_failed_and_nothing_else_is_undone(personas):
    send(DIGEST, organization_id=personas.org.pk, to=[member(personas.member)])
    delivery = Delivery.objects.get()

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
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Delivery.Status.FAILED, 2, "relay down")
    assert Notification.objects.filter(recipient=personas.member).exists()


def test_an_admin_sends_a_failed_one_again_to_the_current_address(personas, guests):
    send(DIGEST, organization_id=personas.org.pk, to=[_guest()])
    Delivery.objects.update(status=Delivery.Status.FAILED, attempts=MAX_ATTEMPTS, last_error="refused")
    guests[1] = "corrected@customer.example"

    again = delivery_retry(actor=personas.admin, delivery=Delivery.objects.get())

    assert (again.status, again.attempts, again.target) == (Delivery.Status.PENDING, 0, "corrected@customer.example")


def test_one_with_nowhere_to_go_is_not_sent_again(personas, guests):
    send(DIGEST, organization_id=personas.org.pk, to=[_guest()])
    Delivery.objects.update(status=Delivery.Status.FAILED)
    guests[1] = None

    with pytest.raises(ValidationError, match="opted out"):
        delivery_retry(actor=personas.admin, delivery=Delivery.objects.get())
    assert deliveries_retry_failed(actor=personas.admin) == 0
    assert Delivery.objects.get().status == Delivery.Status.FAILED


def test_a_recipient_type_nobody_knows_any_more_fails_with_the_reason(personas):
    send(DIGEST, organization_id=personas.org.pk, to=[Recipient("gone-app", 3, "X", "email", "x@example.com")])

    _deliver_all()

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "no longer knows how to reach a gone-app" in delivery.last_error


def test_kinds_read_as_their_senders_label(personas):
    from django.db import models

    class DigestKind(models.TextChoices):
        WEEKLY = "week_in_review", "Your week in review"

    kinds.register(DigestKind)
    (notification,) = send(DIGEST, organization_id=personas.org.pk, to=[member(personas.member)])

    assert notification.get_kind_display() == "Your week in review"
    assert kinds.label("something_unknown") == "Something unknown"
