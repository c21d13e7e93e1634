"""The invitation e-mail job, called directly (Celery stays non-eager)."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Organization, invitation_link_token
from accounts.tasks import clear_expired_sessions, send_invitation_email
from accounts.tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(personas):
    return InvitationFactory(organization=personas.org, email="dana@example.com", invited_by=personas.admin.user)


def test_send_invitation_email_sends_one_mail_with_the_accept_link(invitation, settings):
    settings.SITE_URL = "https://teamhub.example.com"

    with time_machine.travel("2026-04-02 08:30:00+00:00", tick=False):
        send_invitation_email.run(invitation.pk)
        sent_at = timezone.now()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["dana@example.com"]
    assert "Acme" in message.subject
    assert f"https://teamhub.example.com/invitations/{invitation_link_token(invitation.token_nonce)}/" in message.body
    assert "Alice Admin invites you" in message.body
    assert Invitation.objects.get(pk=invitation.pk).email_sent_at == sent_at


def test_send_invitation_email_twice_sends_once(invitation):
    send_invitation_email.run(invitation.pk)
    send_invitation_email.run(invitation.pk)

    assert len(mail.outbox) == 1


def test_send_invitation_email_does_nothing_for_a_revoked_invitation(invitation):
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())

    send_invitation_email.run(invitation.pk)

    assert mail.outbox == []
    assert Invitation.objects.get(pk=invitation.pk).email_sent_at is None


def test_send_invitation_email_does_nothing_for_a_deleted_invitation(invitation):
    invitation_id = invitation.pk
    invitation.delete()

    send_invitation_email.run(invitation_id)

    assert mail.outbox == []


def test_send_invitation_email_through_apply_runs_the_same_job(invitation):
    result = send_invitation_email.apply(args=(invitation.pk,))

    assert result.successful()
    assert len(mail.outbox) == 1
    assert Invitation.objects.get(pk=invitation.pk).email_sent_at is not None


def test_send_invitation_email_is_a_named_json_task_on_the_notifications_queue():
    assert send_invitation_email.name == "accounts.send_invitation_email"
    assert send_invitation_email.queue == "notifications"
    assert send_invitation_email.max_retries == 6


def test_send_invitation_email_copes_with_a_line_break_in_the_organisation_name(invitation):
    Organization.objects.filter(pk=invitation.organization_id).update(name="Acme\nLabs")

    send_invitation_email.run(invitation.pk)

    assert mail.outbox[0].subject == "You are invited to Acme Labs on TeamHub"


def test_clear_expired_sessions_deletes_expired_sessions():
    Session.objects.create(session_key="old", session_data="", expire_date=timezone.now() - timedelta(days=1))

    clear_expired_sessions.run()

    assert not Session.objects.exists()


def test_an_invitation_queues_only_its_id_and_the_job_derives_the_same_link(
    personas, django_capture_on_commit_callbacks
):
    """The link is a secret: the broker never holds it, and the e-mailed link opens the
    invitation the admin was shown."""
    with (
        mock.patch.object(send_invitation_email, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        invitation, raw = services.invitation_create(actor=personas.admin, email="erin@example.com")

    queued.assert_called_once_with(args=(invitation.pk,), kwargs={})
    send_invitation_email.run(invitation.pk)
    assert f"/invitations/{raw}/" in mail.outbox[0].body
    assert services.invitation_for_token(raw) == invitation


def test_a_message_queued_before_links_were_derived_still_sends_its_link(personas):
    """An invitation made by the previous version has no nonce; its queued message
    carried the token, which is used for it alone."""
    old = InvitationFactory(organization=personas.org, email="olaf@example.com", token_nonce="", raw_token="inv_old")

    send_invitation_email.run(old.pk, "inv_old")

    assert "/invitations/inv_old/" in mail.outbox[0].body


def test_an_old_invitation_without_its_link_is_not_sent_empty(personas):
    old = InvitationFactory(organization=personas.org, email="olaf@example.com", token_nonce="", raw_token="inv_old")

    send_invitation_email.run(old.pk)

    assert mail.outbox == []
