"""Celery entry points for accounts: thin, ids in, a service or a mail out."""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string

from accounts import services
from accounts.models import Invitation

logger = logging.getLogger(__name__)


@shared_task(
    name="accounts.send_invitation_email",
    queue="notifications",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
    time_limit=120,
    soft_time_limit=100,
)
def send_invitation_email(invitation_id: int, raw_token: str) -> None:
    invitation = Invitation.objects.select_related("organization", "invited_by").filter(pk=invitation_id).first()
    # Idempotent under acks_late: a redelivered message for a sent, revoked or
    # replaced invitation does nothing.
    if invitation is None or invitation.email_sent_at or invitation.status != Invitation.Status.PENDING:
        return
    context = {
        "invitation": invitation,
        "accept_url": services.invitation_accept_url(raw_token),
        "inviter": invitation.invited_by.display_name if invitation.invited_by else "Your admin",
    }
    send_mail(
        # A line break in the organisation's name would make send_mail refuse the header.
        subject=f"You are invited to {' '.join(invitation.organization.name.split())} on TeamHub",
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    services.invitation_mark_sent(invitation_id=invitation.pk)
    logger.info("Invitation e-mail sent", extra={"invitation_id": invitation.pk})


@shared_task(
    name="accounts.send_password_reset_email",
    queue="notifications",
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
    time_limit=120,
    soft_time_limit=100,
)
def send_password_reset_email(subject: str, body: str, to_email: str) -> None:
    """Rendered by the web process (Django's reset form builds the link); only sent here."""
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[to_email])


@shared_task(name="accounts.clear_expired_sessions", time_limit=600, soft_time_limit=540)
def clear_expired_sessions() -> None:
    """Sessions live in the database; expired ones are deleted, as `clearsessions` would."""
    services.session_clear_expired()
