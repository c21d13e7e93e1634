"""Celery entry points for teams: thin, taking ids, calling services."""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone

from teams import webhooks
from teams.models import Delivery
from teams.services import notifications

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
RETRY_AFTER_SECONDS = 30  # doubled each time


@shared_task(name="teams.deliver_notification", queue="notifications", bind=True, max_retries=MAX_ATTEMPTS - 1)
def deliver_notification(self, delivery_id: int) -> None:
    """Send one e-mail or webhook post; retried on transient errors, then marked failed."""
    delivery = (
        Delivery.objects.select_related("notification").filter(pk=delivery_id, status=Delivery.Status.PENDING).first()
    )
    if delivery is None:
        return  # already sent (a redelivered message) or gone
    # Claim this attempt: of two copies of the message running at once, one sends.
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.PENDING, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1)
    if not claimed:
        return
    try:
        _send(delivery)
    except (SMTPException, OSError, webhooks.WebhookError) as exc:
        if getattr(exc, "permanent", False) or self.request.retries + 1 >= MAX_ATTEMPTS:
            _give_up(delivery, str(exc))
            return
        Delivery.objects.filter(pk=delivery.pk).update(last_error=str(exc)[:2000])
        raise self.retry(exc=exc, countdown=RETRY_AFTER_SECONDS * 2**self.request.retries) from exc
    except Exception as exc:
        # Anything else will fail the same way again: record it for admins, do not retry.
        logger.exception("Notification delivery broke", extra={"delivery_id": delivery.pk})
        _give_up(delivery, f"{type(exc).__name__}: {exc}")
        return
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENT, sent_at=timezone.now())


def _give_up(delivery: Delivery, error: str) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED, last_error=error[:2000])
    logger.warning("Notification delivery failed", extra={"delivery_id": delivery.pk})


def _send(delivery: Delivery) -> None:
    if delivery.channel == Delivery.Channel.WEBHOOK:
        webhooks.post_message(delivery.target, delivery.message)
    else:
        send_mail(
            # A header may not hold a line break (a reason typed on two lines would).
            subject=" ".join(delivery.notification.title.split())[:150],
            message=_body(delivery),
            from_email=None,
            recipient_list=[delivery.target],
        )


def _body(delivery: Delivery) -> str:
    notification = delivery.notification
    link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
    return f"{notification.title}{link}\n\n— TeamHub"


@shared_task(name="teams.sweep_sla_breaches", queue="notifications")
def sweep_sla_breaches() -> int:
    """Periodic: flag open handoffs that waited past their SLA (each once)."""
    return notifications.notify_sla_breaches()


@shared_task(name="teams.sweep_stalled_deliveries", queue="notifications")
def sweep_stalled_deliveries() -> int:
    """Periodic: queue again the deliveries no worker took (the broker was down at
    commit); give up on those queued again in vain, so admins see them."""
    return notifications.deliveries_requeue_stalled()
