"""Browser journey for issue 3: what admins configure and managers run, in Chromium."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, demo_email
from teams.models import CheckIn, Goal, MemberStrength, StageChange, Team, Value

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", verbosity=0)


def log_out(page) -> None:
    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="Log out").click()


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def test_admin_configures_a_manager_runs_a_team_and_a_member_sees_their_excellence(demo, page, login):
    # The admin adds a value, and an organisation goal with a key result.
    login(page, demo_email("admin"), DEMO_PASSWORD)
    main_nav(page).locator("summary", has_text="Admin").click()
    main_nav(page).get_by_role("link", name="Configure").click()
    page.get_by_label("Name").fill("Learn in public")
    page.get_by_label("Description").fill("Share what we learn, including what went wrong.")
    page.get_by_role("button", name="Add value").click()
    expect(page.get_by_text("Learn in public").first).to_be_visible()
    assert Value.objects.filter(name="Learn in public", is_active=True).exists()

    main_nav(page).get_by_role("link", name="Goals").click()
    page.get_by_role("link", name="New organisation goal").first.click()
    page.get_by_label("Title").fill("Win back lapsed shops")
    page.get_by_label("Starts").fill("2026-10-01")
    page.get_by_label("Ends").fill("2026-12-31")
    page.get_by_role("button", name="Create goal").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Win back lapsed shops")
    page.get_by_role("link", name="Add key result").click()
    page.get_by_label("Title").fill("Lapsed shops re-ordering")
    page.get_by_label("Unit").fill("shops")
    page.get_by_label("Baseline").fill("0")
    page.get_by_label("Target").fill("12")
    page.get_by_role("button", name="Add key result").click()
    expect(page.get_by_text("Lapsed shops re-ordering").first).to_be_visible()
    log_out(page)

    # The manager adds a colleague to their team with a role and adapts her excellence.
    login(page, demo_email("marcus"), DEMO_PASSWORD)
    main_nav(page).get_by_role("link", name="Teams").click()
    page.get_by_role("link", name="Rental & Repair Partners").first.click()
    page.get_by_text("Add a member").click()
    page.get_by_label("Person").select_option(label="Grace Liu")
    page.get_by_label("Role", exact=True).select_option(label="Customer care specialist")
    page.get_by_role("button", name="Add to Rental & Repair Partners").click()
    members = page.locator("#team-members")
    expect(members.get_by_role("link", name="Grace Liu", exact=True)).to_be_visible()

    page.get_by_role("link", name="Excellence of Grace Liu").click()
    first = page.locator(".criterion").first
    first.locator("summary").click()
    first.get_by_label("How it shows").fill("Replies to every repair query within 4 working hours")
    first.get_by_role("button", name="Save").click()
    expect(page.locator(".criterion").first).to_contain_text("within 4 working hours")
    expect(page.get_by_role("region", name="History")).to_contain_text("within 4 working hours")

    # …records a check-in on a key result of one of his team goals and sees it on the chart…
    team_goal = Goal.objects.filter(team__managers__user__email=demo_email("marcus")).first()
    key_result = team_goal.key_results.first()
    page.goto(f"/goals/{team_goal.pk}/")
    card = page.locator(f"#kr-{key_result.pk}")
    card.get_by_label("New value").fill("7")
    card.get_by_label("Note").fill("Two more shops came back after the spring visit")
    card.get_by_role("button", name="Record check-in").click()
    card = page.locator(f"#kr-{key_result.pk}")
    expect(card).to_contain_text("Two more shops came back")
    chart_values = card.locator("canvas").evaluate("canvas => Chart.getChart(canvas).data.datasets[0].data")
    assert chart_values[-1] == 7
    assert CheckIn.objects.filter(key_result=key_result, note__startswith="Two more shops").exists()

    # …and moves his team to the next maturity stage.
    page.goto(f"/teams/{Team.objects.get(name='Rental & Repair Partners').pk}/")
    maturity = page.get_by_role("region", name="Maturity")
    maturity.get_by_label("New stage").select_option("performing")
    maturity.get_by_label("Note").fill("They plan and decide together now")
    maturity.get_by_role("button", name="Change stage").click()
    expect(maturity.locator('[aria-current="step"]')).to_have_text("Performing")
    expect(maturity).to_contain_text("They plan and decide together now")
    assert StageChange.objects.filter(to_stage="performing", note__startswith="They plan").exists()
    log_out(page)

    # The member sees what excellence looks like for them and adds a strength.
    login(page, demo_email("member"), DEMO_PASSWORD)
    excellence = page.get_by_role("region", name="Your teams, and what excellence looks like for you")
    expect(excellence).to_contain_text("Customer success advisor")
    excellence.get_by_role("link", name="Your strengths").click()
    page.get_by_label("Strength", exact=True).select_option(label="Negotiation")
    page.get_by_label("Level", exact=True).select_option(label="Practised")
    page.get_by_role("button", name="Add strength").click()
    # Her own strengths each get a level picker; the add form's options do not count.
    expect(page.locator("#strengths").get_by_label("Level of Negotiation")).to_be_visible()
    assert MemberStrength.objects.filter(
        membership__user__email=demo_email("member"), strength__name="Negotiation", level=2
    ).exists()
