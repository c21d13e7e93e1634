"""Browser journey for a team's chat webhook and the admins' deliveries page, in
Chromium: the manager connects the team's chat and tests it; when the chat server
refuses a post, the admin finds it behind the Admin menu and sends it again."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, demo_email
from accounts.models import Membership
from customers.models import CustomerAccount
from notifications.models import Delivery
from notifications.tasks import deliver_notification
from notifications.tests.webhook_server import start_webhook_server
from teams.models import Team
from work import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEAM = "Trailhead Wholesale"  # Marcus manages it


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def chat(settings):
    """The team's chat server, on localhost (plain http allowed, as on a private network)."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    hook, server = start_webhook_server()
    yield hook
    server.shutdown()
    server.server_close()


def log_out(page) -> None:
    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="Log out").click()


def test_a_manager_connects_the_team_chat_and_an_admin_resends_a_refused_post(demo, chat, page, login):
    # The manager connects the team's chat from its edit page and tests it.
    login(page, demo_email("marcus"), DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Teams").click()
    page.get_by_role("link", name=TEAM).first.click()
    page.get_by_role("link", name="Edit team").click()
    page.get_by_label("Chat webhook").fill("ftp://chat.example.com/hook")
    page.get_by_role("button", name="Save team").click()
    expect(page.get_by_text("Enter an http or https address")).to_be_visible()
    page.get_by_label("Chat webhook").fill(chat.url)
    page.get_by_role("button", name="Save team").click()
    expect(page.get_by_text("Posts to chat at http://127.0.0.1/…")).to_be_visible()
    page.get_by_role("link", name="Edit team").click()
    page.get_by_role("button", name="Send a test message").click()
    expect(page.get_by_text(f"Test message posted to {TEAM}'s chat webhook.")).to_be_visible()
    assert "TeamHub is connected" in chat.texts[0]
    log_out(page)

    # A handoff to the team is posted while the chat server refuses it: it fails.
    team = Team.objects.get(name=TEAM)
    admin = Membership.objects.get(user__email=demo_email("admin"))
    account = CustomerAccount.objects.filter(owning_team=team).first()
    handoff = services.handoff_create(actor=admin, account=account, subject="Pallet of tents damaged", to_team=team)
    post = Delivery.objects.get(recipient_type="team", recipient_id=team.pk, status=Delivery.Status.PENDING)
    chat.status = 404
    deliver_notification(post.pk)
    assert Delivery.objects.get(pk=post.pk).status == Delivery.Status.FAILED
    chat.status = 200

    # The admin opens the Admin menu from the keyboard and finds it.
    login(page, demo_email("admin"), DEMO_PASSWORD)
    menu = page.get_by_role("navigation", name="Main").locator("summary", has_text="Admin")
    menu.focus()
    page.keyboard.press("Enter")
    deliveries_link = page.get_by_role("link", name="Deliveries", exact=True)
    expect(deliveries_link).to_be_visible()
    page.keyboard.press("Escape")
    expect(deliveries_link).to_be_hidden()
    page.keyboard.press("Enter")
    deliveries_link.focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Deliveries")
    row = page.locator("#deliveries tbody tr", has_text=handoff.subject)
    expect(row).to_contain_text("HTTP 404")
    expect(row).to_contain_text(TEAM)
    expect(page.locator("body")).not_to_contain_text("/services/T000/B000/secret")
    row.get_by_role("button", name="Send again").click()
    expect(page.get_by_text("Sending again to http://127.0.0.1/…")).to_be_visible()
    expect(page.get_by_text("Nothing failed")).to_be_visible()
    assert Delivery.objects.get(pk=post.pk).status == Delivery.Status.PENDING
