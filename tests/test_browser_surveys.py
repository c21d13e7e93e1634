"""Browser journey for pulse surveys (issue 11): an admin builds a pulse for two teams
from the question bank, previews it and starts it; its round opens by itself; a member
answers it from their home page, anonymously, once; when it closes, the results show
real figures for the team that answered and "not enough responses" for the other."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, demo_email
from surveys import services
from surveys.models import Answer, Response, Survey, SurveyInvitation
from teams.models import Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(live_server):
    call_command("seed_demo", verbosity=0)


def log_out(page) -> None:
    page.locator(".usermenu summary").click()
    page.get_by_role("button", name="Log out").click()


def test_an_admin_builds_and_starts_a_pulse_and_a_member_answers_it(demo, page, login):
    # The admin builds a pulse for two teams, choosing statements by driver.
    login(page, demo_email("admin"), DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Surveys").click()
    page.get_by_role("link", name="New pulse").click()
    page.get_by_label("Title").fill("Monthly pulse")
    page.get_by_label("Chosen teams").check()
    page.get_by_label("Trailhead Wholesale").check()
    page.get_by_label("Online Direct").check()
    today = timezone.localdate(timezone.now(), timezone=dt.UTC)
    page.get_by_label("First round opens on").fill(today.isoformat())
    page.get_by_label("at", exact=True).fill("00:00")
    bank = page.get_by_role("group", name="Recognition")
    bank.get_by_label("When I do good work, someone notices.").check()
    page.get_by_role("group", name="Collaboration").get_by_label(
        "When I ask another team for help, I get it in good time."
    ).check()
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Monthly pulse")
    expect(page.locator(".question-list")).to_contain_text("How likely are you to recommend Northwind Outfitters")

    # The preview is the member's page, and sends nothing.
    page.get_by_role("link", name="Preview").click()
    expect(page.get_by_role("heading", name="What is anonymous")).to_be_visible()
    expect(page.get_by_role("button", name="Send my answers")).to_be_disabled()
    page.go_back()
    page.get_by_role("button", name="Start").click()
    expect(page.locator(".flashes")).to_contain_text("opens by itself")
    survey = Survey.objects.get(title="Monthly pulse")
    assert set(survey.teams.values_list("name", flat=True)) == {"Trailhead Wholesale", "Online Direct"}
    log_out(page)

    # The beat job opens the round: everyone on the two teams is asked, nobody else.
    services.rounds_run()
    asked = SurveyInvitation.objects.filter(round__survey=survey)
    teams = Team.objects.filter(name__in=["Trailhead Wholesale", "Online Direct"])
    assert asked.count() == Team.objects.filter(pk__in=teams).values("memberships__membership").distinct().count()

    # The member finds it on their home page and answers from the keyboard and mouse.
    login(page, demo_email("member"), DEMO_PASSWORD)
    page.get_by_role("link", name="Monthly pulse", exact=True).click()
    # Northwind shows results from three respondents (the demo's small teams).
    expect(page.get_by_text("Results are shown only for groups of at least 3 people")).to_be_visible()
    noticed = page.get_by_role("group", name="2. When I do good work, someone notices.")
    noticed.get_by_label("Agree", exact=True).check()
    page.get_by_role(
        "group", name="3. How likely are you to recommend Northwind Outfitters as a place to work?"
    ).get_by_label("8", exact=True).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator(".flashes")).to_contain_text("your answers are in, anonymously")
    expect(page.get_by_role("link", name="Monthly pulse", exact=True)).to_have_count(0)

    response = Response.objects.get(round__survey=survey)
    assert response.team.name == "Trailhead Wholesale"
    assert sorted(Answer.objects.filter(response=response).values_list("value", flat=True)) == [4, 8]
    assert asked.get(membership__user__email=demo_email("member")).answered
    log_out(page)

    # Three more of Trailhead answer, nobody of Online Direct; the round closes.
    round_ = response.round
    for invitation in asked.filter(team__name="Trailhead Wholesale", answered=False).select_related("membership")[:3]:
        questions = list(round_.questions.order_by("pk"))
        answers = {q.pk: 5 if q.kind == "agreement" else 9 for q in questions}
        services.response_submit(actor=invitation.membership, invitation=invitation, answers=answers)
    services.round_close(round_id=round_.pk, now=round_.closes_at)

    # The admin reads the results: Trailhead's figures, "not enough" for Online Direct.
    login(page, demo_email("admin"), DEMO_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Surveys").click()
    page.get_by_role("link", name="Monthly pulse", exact=True).click()
    page.get_by_role("link", name="Results of round 1").click()
    heatmap = page.locator("#heatmap")
    expect(heatmap.get_by_role("row", name="Online Direct")).to_contain_text("not enough")
    trailhead = heatmap.get_by_role("row", name="Trailhead Wholesale")
    expect(trailhead).to_contain_text("67% (4/6)")  # four of the six asked answered
    expect(trailhead).to_contain_text("100%")  # all agreed someone notices good work
    page.get_by_role("link", name="Online Direct").click()
    expect(page.get_by_text("Not enough responses from Online Direct to show its answers.")).to_be_visible()
