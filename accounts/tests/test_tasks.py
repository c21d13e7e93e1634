"""The invitation e-mail job, called directly (Celery stays non-eager)."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.utils import timezone

from accounts.models import Invitation, Organization
from accounts.tasks import clear_expired_sessions, send_invitation_email
from accounts.tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(personas):
    return InvitationFactory(
        organization=personas.org, email="dana@example.com", invited_by=personas.admin.user, raw_token="inv_raw-link"
    )


def test_send_invitation_email_sends_one_mail_with_the_accept_link(invitation, settings):
    settings.SITE_URL = "https://teamhub.example.com"

    with time_machine.travel("2026-04-02 08:30:00+00:00", tick=False):
        send_invitation_email.run(invitation.pk, "inv_raw-link")
        sent_at = timezone.now()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@example.com"]
    assert "Acme" in message.subject
    assert "https://teamhub.example.com/invitations/inv_raw-link/" in message.body
    assert "Alice Admin invites you" in message.body
    assert Invitation.objects.get(pk=invitation.pk).email_sent_at == sent_at


def test_send_invitation_email_twice_sends_once(invitation):
    send_invitation_email.run(invitation.pk, "inv_raw-link")
    send_invitation_email.run(invitation.pk, "inv_raw-link")

    assert len(mail.outbox) == 1


def test_send_invitation_email_does_nothing_for_a_revoked_invitation(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())

    send_invitation_email.run(invitation.pk, "inv_raw-link")

    assert mail.outbox == []
    assert Invitation.objects.get(pk=invitation.pk).email_sent_at is None


def test_send_invitation_email_does_nothing_for_a_deleted_invitation(invitation):
    invitation_id = invitation.pk
    invitation.delete()

    send_invitation_email.run(invitation_id, "inv_raw-link")

    assert mail.outbox == []


def test_send_invitation_email_through_apply_runs_the_same_job(invitation):
    result = send_invitation_email.apply(args=(invitation.pk, "inv_raw-link"))

    assert result.successful()
    assert len(mail.outbox) == 1
    assert Invitation.objects.get(pk=invitation.pk).email_sent_at is not None


def test_send_invitation_email_is_a_named_json_task_on_the_notifications_queue():
    assert send_invitation_email.name == "accounts.send_invitation_email"
    assert send_invitation_email.queue == "notifications"
    assert send_invitation_email.max_retries == 6


def test_send_invitation_email_copes_with_a_line_break_in_the_organisation_name(invitation):
    Organization.objects.filter(pk=invitation.organization_id).update(name="Acme\nLabs")

    send_invitation_email.run(invitation.pk, "inv_raw-link")

    assert mail.outbox[0].subject == "You are invited to Acme Labs on TeamHub"


def test_clear_expired_sessions_deletes_expired_sessions():
    Session.objects.create(session_key="old", session_data="", expire_date=timezone.now() - timedelta(days=1))

    clear_expired_sessions.run()

    assert not Session.objects.exists()
