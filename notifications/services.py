"""Telling people what they should know: in the app at once, by e-mail or chat post
after commit.

``send`` is the one way in: the app that knows what happened writes a ``Message``
(kind, title, link, what it is about) and names its recipients. A delivery that fails
is retried a few times by Celery and then marked failed for admins to see; it never
blocks or undoes the save that caused it.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from notifications.models import Delivery, Notification
from notifications.recipients import Recipient, Unreachable, current_address
from teamhub.lib.queue import enqueue_on_commit
from teamhub.lib.tenancy import Role, require_role, require_same_org

SUBJECT_LENGTH = 150


@dataclass(frozen=True)
class Message:
    """What to say. ``title`` is one line (line breaks are folded); ``url`` is a path in
    TeamHub; ``body`` is the longer text of an e-mail to someone outside the
    organisation (people of the organisation get the title and the link)."""

    kind: str
    title: str
    url: str = ""
    about_type: str = ""
    about_id: int | None = None
    body: str = ""

    @property
    def line(self) -> str:
        return " ".join(self.title.split())


def send(message: Message, *, organization_id: int, to) -> list[Notification]:
    """Tell each recipient once: a person in the app and by e-mail, anyone else on their
    channel. Recipients that are None (nobody to tell) are skipped. Returns the in-app
    notifications made. Call inside the transaction that saves what happened."""
    recipients = list({r.key: r for r in to if r is not None}.values())
    people = [r for r in recipients if r.membership is not None]
    notifications = Notification.objects.bulk_create(
        Notification(
            organization_id=organization_id,
            recipient=r.membership,
            kind=message.kind,
            title=message.line[:240],
            url=message.url,
            about_type=message.about_type,
            about_id=message.about_id,
        )
        for r in people
    )
    carried = {n.recipient_id: n for n in notifications}
    deliveries = [
        _delivery(message, organization_id, r, carried.get(r.membership.pk) if r.membership else None)
        for r in recipients
    ]
    _queue(Delivery.objects.bulk_create(deliveries))
    return notifications


def _delivery(message: Message, organization_id: int, recipient: Recipient, notification) -> Delivery:
    subject, text = _compose(message, recipient)
    return Delivery(
        organization_id=organization_id,
        notification=notification,
        channel=recipient.channel,
        recipient_type=recipient.type,
        recipient_id=recipient.id,
        recipient_name=recipient.name[:200],
        target=recipient.address,
        subject=subject,
        message=text,
        kind=message.kind,
        about_type=message.about_type,
        about_id=message.about_id,
    )


def _compose(message: Message, recipient: Recipient) -> tuple[str, str]:
    link = f"{settings.SITE_URL}{message.url}" if message.url else ""
    if recipient.channel == Delivery.Channel.WEBHOOK:
        text = _chat_text(message.line)
        return text[:SUBJECT_LENGTH], f"{text}\n{link}" if link else text
    # A header may not hold a line break (a reason typed on two lines would).
    subject = message.line[:SUBJECT_LENGTH]
    if recipient.membership is None and message.body:
        return subject, f"{message.body}\n\n{link}".rstrip()
    link_line = f"\n\n{link}" if link else ""
    return subject, f"{message.line}{link_line}\n\n— TeamHub"


def _chat_text(text: str) -> str:
    """Slack-style markup escaped: a subject or reason typed as <!channel> or
    <https://elsewhere|TeamHub> must not ping a channel or disguise a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _queue(deliveries) -> None:
    from notifications.tasks import deliver_notification  # tasks import services; import here to avoid a cycle

    for delivery in deliveries:
        enqueue_on_commit(deliver_notification, delivery.pk)


@transaction.atomic
def notification_mark_read(*, actor: Membership, notification: Notification | None = None) -> int:
    """Mark one (or, without one, all) of the person's notifications read."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=timezone.now())


# --- Sending: what the Celery task does with one delivery ----------------------------------


def delivery_claim(*, delivery_id: int) -> Delivery | None:
    """Claim the next attempt of a pending delivery: of two copies of its message running
    at once, one gets it (the attempt counter moves once). None when there is nothing
    to do: already sent or failed, gone, or claimed by the other copy."""
    delivery = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING).first()
    if delivery is None:
        return None
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.PENDING, attempts=delivery.attempts
    ).update(attempts=delivery.attempts + 1)
    if not claimed:
        return None
    delivery.attempts += 1
    return delivery


def delivery_address(*, delivery: Delivery) -> str:
    """Where to send it now (recorded on the delivery when it changed); raises
    Unreachable when there is nowhere: the recipient left or opted out."""
    address = current_address(delivery)
    if address != delivery.target:
        Delivery.objects.filter(pk=delivery.pk).update(target=address)
        delivery.target = address
    return address


def delivery_sent(*, delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENT, sent_at=timezone.now())


def delivery_failed(*, delivery: Delivery, error: str, final: bool) -> None:
    """Record why an attempt failed; ``final`` when no retry will follow."""
    changes = {"last_error": error[:2000]}
    if final:
        changes["status"] = Delivery.Status.FAILED
    Delivery.objects.filter(pk=delivery.pk).update(**changes)


# --- Deliveries (admins) ------------------------------------------------------------------


_RESENT = ["target", "status", "attempts", "last_error", "queued_at", "requeued_at"]


def _reset_for_resend(delivery: Delivery, now) -> None:
    try:
        # Where it goes now: the address or URL may have been corrected since it failed.
        delivery.target = current_address(delivery)
    except Unreachable as reason:
        raise ValidationError(str(reason)) from None
    delivery.status, delivery.attempts, delivery.last_error = Delivery.Status.PENDING, 0, ""
    delivery.queued_at, delivery.requeued_at = now, None  # the stalled-delivery sweep starts afresh


@transaction.atomic
def delivery_retry(*, actor: Membership, delivery: Delivery) -> Delivery:
    """Send a failed delivery again, to the recipient's current address."""
    require_role(actor, Role.ADMIN)
    require_same_org(actor, delivery)
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)  # locked: a double click queues it once
    if delivery.status != Delivery.Status.FAILED:
        state = delivery.get_status_display().lower()
        raise ValidationError(f"Only failed deliveries can be sent again; this one is {state}.")
    _reset_for_resend(delivery, timezone.now())
    delivery.save(update_fields=_RESENT)
    _queue([delivery])
    return delivery


@transaction.atomic
def deliveries_retry_failed(*, actor: Membership) -> int:
    """Send every failed delivery of the organisation again. Those with nowhere to go
    any more stay failed. Returns how many were queued."""
    require_role(actor, Role.ADMIN)
    failed = Delivery.objects.for_org(actor.organization_id).filter(status=Delivery.Status.FAILED).select_for_update()
    now, queued = timezone.now(), []
    for delivery in failed:
        try:
            _reset_for_resend(delivery, now)
        except ValidationError:
            continue
        queued.append(delivery)
    Delivery.objects.bulk_update(queued, _RESENT)
    _queue(queued)
    return len(queued)


STALLED_AFTER = timedelta(minutes=15)  # far past the retries' own back-off (about 4 minutes)


@transaction.atomic
def deliveries_requeue_stalled(*, now=None) -> int:
    """Deliveries still pending long after they were queued never reached a worker (the
    broker was down at commit, or a worker died). Queue each again once; one that stays
    pending after that is marked failed, so admins see it and can send it again.
    Returns how many were queued again."""
    now = now or timezone.now()
    stalled = Delivery.objects.select_for_update(skip_locked=True).filter(
        status=Delivery.Status.PENDING, queued_at__lt=now - STALLED_AFTER
    )
    stalled.filter(requeued_at__isnull=False).update(
        status=Delivery.Status.FAILED,
        last_error="No worker sent it, even when queued again: check that the Celery worker runs, then send it again.",
    )
    again = list(stalled.filter(requeued_at__isnull=True))
    Delivery.objects.filter(pk__in=[d.pk for d in again]).update(requeued_at=now, queued_at=now)
    _queue(again)
    return len(again)
