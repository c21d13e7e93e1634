"""Browser journey for issue 5: wins and handoffs across teams, in Chromium."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, demo_email
from accounts.models import Membership
from customers.models import CustomerAccount, FollowUp
from teams.models import TeamMembership
from work.models import Adoption, Handoff, Spotlight, Win

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", verbosity=0)


def log_out(page) -> None:
    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="Log out").click()


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def win_card(page, title):
    return page.locator("article.win", has=page.get_by_role("heading", name=title))


def test_a_win_travels_from_the_home_page_to_the_spotlight_and_another_team(demo, page, login):
    title = "Kept Brecon's reorder on track with a courier swap"
    # The member logs a win from the home page: the feed updates without a page load.
    login(page, demo_email("member"), DEMO_PASSWORD)
    page.get_by_label("What went well").fill(title)
    page.get_by_label("Customer first").check()
    page.get_by_label("With (optional)").select_option(label="Grace Liu")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("button", name="Log win").click()
    expect(win_card(page, title)).to_contain_text("Grace Liu")
    expect(page.get_by_label("What went well")).to_have_value("")
    assert page.evaluate("window.__sameDocument") is True  # no page load happened
    win = Win.objects.get(title=title)
    assert win.team.name == "Trailhead Wholesale"
    assert [c.user.full_name for c in win.collaborators.all()] == ["Grace Liu"]

    # With more to tell, the member opens the full form: the story, the impact, the customer
    # and two colleagues from two teams, one of them ticked from the keyboard.
    full_title = "Saved Coast to Coast's spring kit order"
    page.get_by_role("link", name="More details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a win")
    page.get_by_label("What went well").fill(full_title)
    page.get_by_label("Share what you know").check()
    page.get_by_label("The story (optional)").fill("Their buyer was away.\nWe rang the warehouse and split the order.")
    page.get_by_label("Impact (optional)").fill("Spring order kept: 140 jackets")
    page.get_by_label("For customer (optional)").select_option(label="Coast to Coast Tours")
    helpers = page.get_by_role("group", name="Who helped (optional)")
    helpers.get_by_role("group", name="Expeditions & Schools").get_by_label("Grace Liu").check()
    helpers.get_by_role("group", name="Trailhead Wholesale").get_by_label("Aiko Tanaka").press("Space")
    page.get_by_role("button", name="Log win").click()
    # Home, with the new win on top of the feed; its page tells the whole story.
    expect(win_card(page, full_title)).to_contain_text("Spring order kept: 140 jackets")
    win_card(page, full_title).get_by_role("link", name=full_title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(full_title)
    card = win_card(page, full_title)
    expect(card).to_contain_text("We rang the warehouse and split the order.")
    expect(card).to_contain_text("Coast to Coast Tours")
    full = Win.objects.get(title=full_title)
    assert {c.user.full_name for c in full.collaborators.all()} == {"Grace Liu", "Aiko Tanaka"}
    assert full.account.name == "Coast to Coast Tours" and full.impact == "Spring order kept: 140 jackets"
    log_out(page)

    # The manager of the member's team spotlights it.
    login(page, demo_email("marcus"), DEMO_PASSWORD)
    main_nav(page).get_by_role("link", name="Wins").click()
    card = win_card(page, title)
    card.get_by_text("Spotlight this win").click()
    card.get_by_label("Why this is what good looks like").fill("Solved it before the customer had to chase.")
    card.get_by_role("button", name="Spotlight", exact=True).click()
    expect(win_card(page, title)).to_contain_text("Solved it before the customer had to chase.")
    assert Spotlight.objects.filter(win=win).exists()
    log_out(page)

    # The manager of another team says her team adopted it.
    login(page, demo_email("lena"), DEMO_PASSWORD)
    main_nav(page).get_by_role("link", name="Wins").click()
    page.get_by_role("navigation", name="Wins").get_by_role("link", name="Spotlight").click()
    card = win_card(page, title)
    card.get_by_role("button", name="We adopted this").click()
    expect(win_card(page, title)).to_contain_text("Adopted by 1 team")
    assert Adoption.objects.filter(win=win, team__name="Expeditions & Schools").exists()


def test_a_need_is_handed_to_the_suggested_colleague_who_accepts_and_completes_it(demo, page, login):
    subject = "Wants 30 branded fleeces by spring"
    login(page, demo_email("member"), DEMO_PASSWORD)
    page.goto("/handoffs/new/")
    page.get_by_label("Account").select_option(label="Coast to Coast Tours")
    suggestions = page.locator("#suggestions")
    expect(suggestions).to_contain_text("which owns Coast to Coast Tours")
    page.get_by_label("Subject").fill(subject)
    page.get_by_label("What the customer expects").fill("A quote this week")
    suggestions.get_by_role("button").first.click()
    page.get_by_role("button", name="Hand it off").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(subject)
    handoff = Handoff.objects.get(subject=subject)
    colleague = handoff.to_member
    # The first suggestion: someone of the team that owns the account.
    assert colleague != handoff.sender
    assert TeamMembership.objects.filter(membership=colleague, team=handoff.account.owning_team).exists()
    log_out(page)

    # The colleague sees it in the inbox, with its notification, accepts and completes it.
    login(page, colleague.user.email, DEMO_PASSWORD)
    expect(main_nav(page).locator(".nav-count")).to_be_visible()
    main_nav(page).get_by_role("link", name="Inbox").click()
    expect(page.get_by_role("region", name="Handed to me")).to_contain_text(subject)
    expect(page.locator("#notifications")).to_contain_text(subject)
    page.get_by_role("region", name="Handed to me").get_by_role("link", name=subject).click()
    page.get_by_role("button", name="Accept").click()
    expect(page.locator(".page-header .badge").first).to_have_text("Accepted")
    page.get_by_role("button", name="Mark completed").click()
    expect(page.locator(".page-header .badge").first).to_have_text("Completed")
    expect(page.get_by_role("region", name="History")).to_contain_text("completed")
    handoff.refresh_from_db()
    assert handoff.status == Handoff.Status.COMPLETED and handoff.accepted_by == colleague


def test_the_follow_up_choices_follow_the_chosen_customer(demo, page, login):
    member = Membership.objects.get(user__email=demo_email("member"))
    open_follow_ups = FollowUp.objects.filter(
        account__in=CustomerAccount.objects.in_full_for(member),
        status__in=[FollowUp.Status.OPEN, FollowUp.Status.IN_PROGRESS],
    ).select_related("account")
    first = open_follow_ups.order_by("account__name", "pk").first()
    second = open_follow_ups.exclude(account=first.account).order_by("account__name", "pk").first()
    login(page, member.user.email, DEMO_PASSWORD)
    page.goto("/handoffs/new/")
    follow_ups = page.get_by_label("Follow-up of this customer (optional)")
    expect(follow_ups.locator("option")).to_have_text(["Choose the customer first"])
    page.get_by_label("Account").select_option(label=first.account.name)
    expect(follow_ups).to_contain_text(first.summary)
    page.get_by_label("Account").select_option(label=second.account.name)
    expect(follow_ups).to_contain_text(second.summary)
    expect(follow_ups).not_to_contain_text(first.summary)
    follow_ups.select_option(value=str(second.pk))
    page.get_by_label("Subject").fill("Needs a hand with this one")
    page.locator("#suggestions").get_by_role("button").first.click()
    page.get_by_role("button", name="Hand it off").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs a hand with this one")
    assert Handoff.objects.get(subject="Needs a hand with this one").follow_up == second


def test_a_late_handoff_shows_as_breached(demo, page, login):
    late = Handoff.objects.filter(status=Handoff.Status.OPEN, to_member__isnull=False).order_by("created_at").first()
    login(page, late.to_member.user.email, DEMO_PASSWORD)
    page.goto("/inbox/")
    item = page.locator(".handoff-item", has=page.get_by_role("link", name=late.subject))
    expect(item.first).to_contain_text("SLA breached")
    item.first.get_by_role("link", name=late.subject).click()
    expect(page.get_by_role("region", name="Service level")).to_contain_text("Breached")
