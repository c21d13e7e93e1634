"""Celery entry points for notifications: thin, taking ids, calling services."""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from notifications import kinds, services, webhooks
from notifications.models import Delivery
from notifications.recipients import Unreachable

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 4
RETRY_AFTER_SECONDS = 30  # doubled each time


@shared_task(name="notifications.deliver", queue="notifications", bind=True, max_retries=MAX_ATTEMPTS - 1)
def deliver_notification(self, delivery_id: int) -> None:
    """Send one e-mail or webhook post; retried on transient errors, then marked failed."""
    delivery = services.delivery_claim(delivery_id=delivery_id)
    if delivery is None:
        return  # already sent (a redelivered message), gone, or the other copy has it
    try:
        _send(delivery, services.delivery_address(delivery=delivery))
    except Unreachable as reason:
        _give_up(delivery, str(reason))
        return
    except (SMTPException, OSError, webhooks.WebhookError) as exc:
        if getattr(exc, "permanent", False) or self.request.retries + 1 >= MAX_ATTEMPTS:
            _give_up(delivery, str(exc))
            return
        services.delivery_failed(delivery=delivery, error=str(exc), final=False)
        raise self.retry(exc=exc, countdown=RETRY_AFTER_SECONDS * 2**self.request.retries) from exc
    except Exception as exc:
        # Anything else will fail the same way again: record it for admins, do not retry.
        logger.exception("Notification delivery broke", extra={"delivery_id": delivery.pk})
        _give_up(delivery, f"{type(exc).__name__}: {exc}")
        return
    services.delivery_sent(delivery=delivery)


def _give_up(delivery: Delivery, error: str) -> None:
    services.delivery_failed(delivery=delivery, error=error, final=True)
    logger.warning("Notification delivery failed", extra={"delivery_id": delivery.pk})


def _send(delivery: Delivery, address: str) -> None:
    if delivery.channel == Delivery.Channel.WEBHOOK:
        webhooks.post_message(address, delivery.message)
    else:
        render = kinds.renderer(delivery.kind)
        subject, text, html, *extra = render(delivery) if render else (delivery.subject, delivery.message, "")
        # A renderer may add headers (a digest's one-click List-Unsubscribe, RFC 8058).
        email = EmailMultiAlternatives(subject=subject, body=text, to=[address], headers=extra[0] if extra else None)
        if html:
            email.attach_alternative(html, "text/html")
        email.send()


@shared_task(name="notifications.sweep_stalled_deliveries", queue="notifications")
def sweep_stalled_deliveries() -> int:
    """Periodic: queue again the deliveries no worker took (the broker was down at
    commit); give up on those queued again in vain, so admins see them."""
    return services.deliveries_requeue_stalled()
