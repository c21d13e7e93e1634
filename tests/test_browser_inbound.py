"""Browser journey for feedback from other tools (issue 11, point 6): an admin creates a
Standard Webhooks secret and sees it once; a sender signs a response with it that names
a contact TeamHub does not know; the admin finds it in the unmatched list and assigns it
to an account, which records it as that account's feedback."""

import json
import urllib.request

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from standardwebhooks.webhooks import Webhook

from accounts.testing import make_personas
from accounts.tests.factories import TEST_PASSWORD
from customers.tests.factories import CustomerAccountFactory
from inbound.models import UnmatchedResponse
from surveys.models import NpsFeedback
from teams.tests.factories import TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _send_signed(base_url: str, secret: str, payload: dict) -> int:
    body = json.dumps(payload).encode()
    now = timezone.now()
    request = urllib.request.Request(  # noqa: S310 (the live test server)
        f"{base_url}/hooks/acme/nps/",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "webhook-id": "msg_browser_1",
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": Webhook(secret).sign("msg_browser_1", now, body),
        },
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        return response.status


def test_an_admin_creates_a_secret_sees_it_once_and_assigns_an_unmatched_response(live_server, page, login):
    p = make_personas()
    team = TeamFactory(organization=p.org, name="Support")
    account = CustomerAccountFactory(organization=p.org, owning_team=team, name="Acme Outdoors", external_ref="ACME-1")

    login(page, p.admin.user.email, TEST_PASSWORD)
    page.locator(".navmenu summary", has_text="Admin").click()
    page.get_by_role("link", name="Feedback webhooks").click()
    expect(page.get_by_role("heading", name="No webhooks yet")).to_be_visible()
    page.get_by_label("Webhook", exact=True).select_option(label="Standard Webhooks")
    page.get_by_role("button", name="Create secret").click()

    callout = page.get_by_role("alert")
    expect(callout).to_contain_text("This is the only time it is shown")
    secret = page.locator("#new-secret").inner_text().strip()
    assert secret.startswith("whsec_")

    # Shown once: the page does not show it again.
    page.reload()
    expect(page.get_by_role("heading", name="Standard Webhooks")).to_be_visible()
    assert secret not in page.content()

    # A sender signs a response with it; nobody has the contact's e-mail.
    status = _send_signed(
        live_server.url,
        secret,
        {"data": {"contact_email": "new.buyer@outdoors.example", "score": 4, "comment": "Late again."}},
    )
    assert status == 202
    page.reload()
    expect(page.get_by_role("note")).to_contain_text("1 response could not be matched")
    page.get_by_role("link", name="Assign or dismiss it").click()

    item = page.locator(".unmatched").first
    expect(item).to_contain_text("Late again.")
    expect(item).to_contain_text("new.buyer@outdoors.example")
    item.get_by_label("Account").select_option(label="Acme Outdoors (ACME-1)")
    item.get_by_role("button", name="Assign").click()

    expect(page.locator(".flashes")).to_contain_text("Recorded as Acme Outdoors's feedback")
    expect(page.get_by_role("heading", name="Nothing to assign")).to_be_visible()
    feedback = NpsFeedback.objects.get()
    assert (feedback.account_id, feedback.score, feedback.comment, feedback.channel) == (
        account.pk,
        4,
        "Late again.",
        "webhook",
    )
    assert not UnmatchedResponse.objects.exists()
