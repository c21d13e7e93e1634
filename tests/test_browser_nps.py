"""Browser journey for customer surveys (issue 11, point 5): a manager builds an NPS
round for their team's account, checks whom it asks and sends it; the contact opens
the personal link from the e-mail on a phone, answers 3 with a comment, then changes
the answer to 4. The 3 opened a follow-up for the owning team, owned by the account's
lead, who was told; the manager finds it on the account's page."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from customers import services as customer_services
from customers.models import FollowUp
from notifications.models import Delivery, Notification
from notifications.tasks import deliver_notification
from surveys.models import NpsFeedback, NpsRound
from surveys.tasks import send_nps_invitations
from teams import services as team_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Pictures of the main pages, for a person to look at (test-artifacts/ is not committed).
SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture
def gear(personas):
    p = personas
    support = team_services.team_create(actor=p.admin, name="Support", managers=[p.manager])
    team_services.team_member_add(actor=p.admin, team=support, membership=p.member)
    account = customer_services.account_create(
        actor=p.admin, name="Gear Co", owning_team=support, segment="Gold", lead=p.member
    )
    customer_services.contact_create(actor=p.admin, account=account, name="Ana Alves", email="ana@gear.example")
    customer_services.contact_create(actor=p.admin, account=account, name="Ben Brook", email="")
    return account


def test_a_manager_sends_a_round_and_the_contact_answers_then_changes_it_on_a_phone(
    gear, personas, page, login, browser, live_server, settings
):
    settings.SITE_URL = live_server.url  # the e-mail's links point at this server
    SHOTS.mkdir(exist_ok=True)

    # The manager builds the round from the Surveys area and sees whom it asks.
    login(page, personas.manager.user.email, TEST_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Surveys").click()
    page.get_by_role("link", name="Customer surveys").click()
    page.screenshot(path=SHOTS / "nps-list-empty.png", full_page=True)
    page.get_by_role("link", name="Ask your first customers").click()
    page.get_by_label("Title").fill("Spring NPS")
    page.get_by_label("Gear Co (Support)").check()
    page.screenshot(path=SHOTS / "nps-form.png", full_page=True)
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring NPS")
    expect(page.locator("#asked")).to_contain_text("Ana Alves")
    expect(page.locator("#left-out")).to_contain_text("Ben Brook")
    expect(page.locator("#left-out")).to_contain_text("No e-mail address")
    page.screenshot(path=SHOTS / "nps-round-draft.png", full_page=True)
    page.get_by_role("button", name="Send to 1 contact").click()
    expect(page.locator(".flashes")).to_contain_text("Sent: 1 contact will get their personal link.")
    round_ = NpsRound.objects.get(title="Spring NPS")
    assert round_.status == NpsRound.Status.OPEN

    # The worker's part, run here: queue the e-mail, then deliver it (locmem backend).
    send_nps_invitations.apply(args=[round_.pk])
    deliver_notification.apply(args=[Delivery.objects.get(kind="nps_invitation").pk])
    (email,) = mail.outbox
    assert email.to == ["ana@gear.example"]
    three = re.search(r"^3: (\S+)$", email.body, re.MULTILINE).group(1)

    # The contact, on a phone, clicks 3 in the e-mail: no login.
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    contact = phone.new_page()
    try:
        response = contact.goto(three)
        assert response.headers["referrer-policy"] == "no-referrer"
        expect(contact.get_by_role("status")).to_contain_text("we recorded your score of 3")
        expect(contact.get_by_role("radio", name="3")).to_be_checked()
        assert contact.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        contact.get_by_label("What is the main reason for your score? (optional)").fill("Two late deliveries")
        contact.get_by_role("button", name="Save my answer").click()
        expect(contact.get_by_role("status")).to_contain_text("your answer and comment are saved")
        feedback = NpsFeedback.objects.get()
        assert (feedback.score, feedback.comment, feedback.channel) == (3, "Two late deliveries", "link")
        # A detractor: a follow-up for the owning team, owned by the lead, who is told.
        follow_up = feedback.follow_up
        assert (follow_up.team, follow_up.owner, follow_up.account) == (gear.owning_team, personas.member, gear)
        assert Notification.objects.filter(recipient=personas.member, kind="detractor_follow_up").count() == 1

        # They think again: a 4.
        contact.get_by_text("4", exact=True).click()
        expect(contact.get_by_role("radio", name="4")).to_be_checked()
        contact.get_by_role("button", name="Save my answer").click()
        expect(contact.get_by_role("status")).to_contain_text("your answer and comment are saved")
        expect(contact.get_by_label("What is the main reason for your score? (optional)")).to_have_value(
            "Two late deliveries"
        )
        contact.screenshot(path=SHOTS / "nps-phone.png", full_page=True)
    finally:
        phone.close()
    feedback = NpsFeedback.objects.get()
    assert (feedback.score, feedback.comment, feedback.round_id) == (4, "Two late deliveries", round_.pk)

    # The manager reads the answer on the round's page.
    page.reload()
    expect(page.locator("#answers")).to_contain_text("Two late deliveries")
    expect(page.locator("#answers .score")).to_have_text("4")
    page.screenshot(path=SHOTS / "nps-round-answers.png", full_page=True)

    # Changing 3 to 4 opened no second follow-up; the manager finds the one on the account.
    assert FollowUp.objects.filter(account=gear).count() == 1
    page.goto(f"{live_server.url}/customers/{gear.pk}/")
    expect(page.get_by_text("NPS 3/10 from Ana Alves").first).to_be_visible()
