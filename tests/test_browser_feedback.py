"""Browser journey for closing the loop (issue 11, point 7): a detractor's answer
arrives by webhook; the account's lead finds the notice in their inbox, reads the
customer's NPS history on the account page, and closes the follow-up saying what was
done; a promoter is marked thanked from the feedback list. In Chromium."""

import pytest
from playwright.sync_api import expect

from accounts.testing import make_personas
from accounts.tests.factories import TEST_PASSWORD
from customers.models import FollowUp
from customers.tests.factories import ContactFactory, CustomerAccountFactory
from surveys import services
from surveys.models import NpsFeedback
from surveys.services.feedback import RECORD_FEEDBACK
from teamhub.lib.actors import system_actor
from teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def northwind(live_server):
    """Support (Bob manages it; Charlie is on it and leads Northwind); Jo buys there."""
    p = make_personas()
    support = TeamFactory(organization=p.org, name="Support", managers=[p.manager])
    TeamMembershipFactory(team=support, membership=p.member)
    p.account = CustomerAccountFactory(organization=p.org, name="Northwind", owning_team=support, lead=p.member)
    p.jo = ContactFactory(account=p.account, name="Jo Buyer")
    robot = system_actor(p.org, "the Typeform webhook", RECORD_FEEDBACK)
    for score, comment, external_id in [(10, "Best supplier we have.", "tf-1"), (3, "Late twice.", "tf-2")]:
        services.feedback_record(
            actor=robot,
            account=p.account,
            contact=p.jo,
            score=score,
            comment=comment,
            channel="webhook",
            external_id=external_id,
        )
    return p


def test_the_lead_is_told_of_a_detractor_and_closes_its_follow_up_saying_what_was_done(northwind, page, login):
    login(page, northwind.member.user.email, TEST_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").click()
    page.get_by_role("link", name="Northwind: NPS 3/10 from Jo Buyer").first.click()

    # The account page: the answer, its follow-up, the trend.
    history = page.locator("#nps")
    expect(history).to_contain_text("Late twice.")
    expect(history).to_contain_text("Possible reference")
    expect(history.locator("canvas[data-nps-chart]")).to_be_visible()
    follow_up = page.locator(".follow-up", has_text="NPS 3/10 from Jo Buyer")
    expect(follow_up).to_contain_text("Owner: Charlie Member")

    # Closing it asks what was done: the browser will not send it empty.
    follow_up.get_by_role("button", name="Done NPS 3/10").click()
    expect(follow_up.get_by_label("What was done (required) for NPS 3/10")).to_be_focused()
    assert FollowUp.objects.get().status == FollowUp.Status.OPEN
    follow_up.get_by_label("What was done (required) for NPS 3/10").fill("Called Jo; next order goes express.")
    follow_up.get_by_role("button", name="Done NPS 3/10").click()
    closed = page.locator(".follow-up", has_text="NPS 3/10 from Jo Buyer")
    expect(closed).to_contain_text("Outcome: Called Jo; next order goes express.")
    assert FollowUp.objects.get().status == FollowUp.Status.DONE

    # The promoter, thanked from the feedback list.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Feedback").click()
    page.get_by_label("Who").select_option("promoters")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("button", name="Mark thanked Jo Buyer of Northwind").click()
    expect(page.get_by_text("Jo Buyer of Northwind is marked as thanked.")).to_be_visible()
    assert NpsFeedback.objects.get(score=10).thanked_at is not None
