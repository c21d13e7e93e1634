"""Celery entry points for accounts: thin, ids in, a service or a mail out."""

import logging
from smtplib import SMTPException
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import services
from accounts.models import Invitation, User, invitation_link_token

RESET_SUBJECT_TEMPLATE = "accounts/email/password_reset_subject.txt"
RESET_BODY_TEMPLATE = "accounts/email/password_reset.txt"

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
def send_invitation_email(invitation_id: int, *legacy) -> None:
    """E-mail the invitation's link, derived here from the invitation: the message in the
    broker holds only the id. (``legacy``: a message queued before links were derived
    carried the token itself; it is used only for such an invitation.)"""
    invitation = Invitation.objects.select_related("organization", "invited_by").filter(pk=invitation_id).first()
    # Idempotent under acks_late: a redelivered message for a sent, revoked or
    # replaced invitation does nothing.
    if invitation is None or invitation.email_sent_at or invitation.status != Invitation.Status.PENDING:
        return
    if invitation.token_nonce:
        raw_token = invitation_link_token(invitation.token_nonce)
    elif legacy:
        raw_token = legacy[0]
    else:
        logger.warning("Invitation has no link to send: invite again", extra={"invitation_id": invitation.pk})
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
def send_password_reset_email(user_id: int) -> None:
    """The reset link is made here, from the user's id: the broker never holds it. The
    token covers the password and the last login, so a link made now works until the
    person logs in or changes their password, or PASSWORD_RESET_TIMEOUT passes."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    site = urlsplit(settings.SITE_URL)
    context = {
        "user": user,
        "email": user.email,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": site.scheme,
        "domain": site.netloc,
        "site_name": "TeamHub",
    }
    subject = "".join(render_to_string(RESET_SUBJECT_TEMPLATE, context).splitlines())
    body = render_to_string(RESET_BODY_TEMPLATE, context)
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[user.email])
    logger.info("Password reset e-mail sent", extra={"user_id": user.pk})


@shared_task(name="accounts.clear_expired_sessions", time_limit=600, soft_time_limit=540)
def clear_expired_sessions() -> None:
    """Sessions live in the database; expired ones are deleted, as `clearsessions` would."""
    services.session_clear_expired()
