"""The focus pages: the organisation's (managers and admins), a team's (its members,
managers and admins; 403 for others of ours, 404 for another organisation's), the
one-step action plan form and the plan's page; suppressed figures never showing a
value; and query counts that do not grow with teams, plans or check-ins."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboards.selectors.focus import DRIVERS
from dashboards.tests import test_focus_selectors as base
from dashboards.tests.test_focus_selectors import Q3, Q4_FIGURES, correlation, figures
from surveys.tests.test_scores_api import snap
from teams.models import CheckIn, Goal
from teams.tests.factories import GoalFactory, KeyResultFactory, TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db

world = base.world  # the fixture
NOW = dt.datetime(2026, 11, 16, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def scored(world):
    p = world
    figures(p.org, None, Q4_FIGURES)
    figures(p.org, p.support, Q4_FIGURES | {"growth": 12.0}, suppressed=("growth",))
    correlation(p.org, p.support, "recognition", 0.48)
    snap(p.org, "team", p.support.pk, "engagement", dt.date(2026, 10, 1), 66.0, granularity="quarter")
    return p


def org_url():
    return reverse("dashboards:focus")


def team_url(team, tail=""):
    return reverse("dashboards:focus_team", kwargs={"pk": team.pk}) + tail


def plan_create_url(team):
    return reverse("dashboards:focus_plan_create", kwargs={"pk": team.pk})


def plan_url(goal):
    return reverse("dashboards:focus_plan", kwargs={"pk": goal.pk})


def make_plan(p, team=None, driver="recognition", **kw):
    team = team or p.support
    goal = GoalFactory(organization=p.org, team=team, parent=p.org_goal, driver=driver, title=f"Improve {driver}", **kw)
    KeyResultFactory(goal=goal, title=f"Raise {driver}", unit="%", baseline=40, target=60, current=45)
    return goal


# --- Organisation ------------------------------------------------------------------------


def test_the_organisation_page_shows_the_strongest_and_weakest_drivers_and_the_teams(scored, client_for):
    p = scored
    response = client_for(p.manager).get(org_url())

    assert response.status_code == 200
    strongest, weakest = (response.context["focus"][k] for k in ("strongest", "weakest"))
    assert [f.driver for f in strongest] == ["customer_focus", "collaboration", "values"]
    assert [f.driver for f in weakest] == ["growth", "recognition", "enablement"]
    assert [row["team"] for row in response.context["teams"]] == [p.support]
    assert b"Strongest drivers" in response.content and b"How is this computed?" in response.content


def test_members_do_not_get_the_organisation_page(scored, client_for):
    assert client_for(scored.member).get(org_url()).status_code == 403


def test_no_figures_say_what_to_do(world, client_for):
    response = client_for(world.manager).get(org_url())

    assert response.status_code == 200 and b"No driver figures yet" in response.content
    assert b"Start one under Surveys" in response.content


# --- A team -------------------------------------------------------------------------------


def test_a_team_page_ranks_its_drivers_and_shows_a_suppressed_one_as_not_enough(scored, client_for):
    p = scored
    response = client_for(p.manager).get(team_url(p.support))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Not enough responses" in body or "not enough responses" in body
    assert "12%" not in body  # the suppressed figure's value is nowhere
    assert [f.driver for f in response.context["focus"]["weakest"]] == ["recognition", "enablement"]
    assert "Start here" in body and "Create an action plan" in body


def test_a_member_reads_their_team_without_the_suppressed_driver_or_the_plan_button(scored, client_for):
    p = scored
    response = client_for(p.member).get(team_url(p.support))

    assert response.status_code == 200
    assert response.context["focus"]["hidden"] == []
    assert b"Create an action plan" not in response.content


def test_a_team_of_ours_the_person_is_not_on_is_refused_and_another_organisations_is_not_found(scored, client_for):
    p = scored
    globex_team = TeamFactory(organization=p.other_org)

    assert client_for(p.member).get(team_url(p.sales)).status_code == 403
    assert client_for(p.manager).get(team_url(p.sales)).status_code == 403
    assert client_for(p.admin).get(team_url(p.sales)).status_code == 200
    assert client_for(p.admin).get(team_url(globex_team)).status_code == 404


def test_a_team_page_falls_back_to_the_latest_period_with_figures(world, client_for):
    p = world
    figures(p.org, p.support, {"growth": 20.0, "values": 90.0}, Q3)

    response = client_for(p.manager).get(team_url(p.support))

    assert b"2026-Q4 has no driver figures that can be shown yet" in response.content
    assert response.context["focus"]["period_label"] == "2026-Q3"


def test_the_month_switcher_reads_months(world, client_for):
    p = world
    figures(p.org, p.support, {"growth": 20.0, "values": 90.0}, dt.date(2026, 11, 1), granularity="month")

    response = client_for(p.manager).get(team_url(p.support, "?granularity=month"))

    assert response.context["focus"]["period_label"] == "2026-11"


# --- The action plan ------------------------------------------------------------------------


def plan_data(p, **overrides):
    return {"driver": "recognition", "granularity": "quarter", "title": "Thank people", "parent": p.org_goal.pk} | {
        "target": "55",
        **overrides,
    }


def test_a_manager_makes_a_plan_in_one_step_and_lands_on_its_page(scored, client_for):
    p = scored
    response = client_for(p.manager).post(plan_create_url(p.support), plan_data(p))

    goal = Goal.objects.get(driver="recognition")
    assert response.status_code == 302 and response["Location"] == plan_url(goal)
    assert goal.title == "Thank people" and goal.team == p.support
    assert goal.key_results.get().title == "Raise Recognition favourable from 40% to 55%"


def test_the_form_starts_from_the_driver_with_the_first_running_organisation_goal(scored, client_for):
    p = scored
    response = client_for(p.manager).get(plan_create_url(p.support) + "?driver=recognition")

    form = response.context["form"]
    assert form.initial["title"] == "Improve Recognition" and form.initial["parent"] == p.org_goal
    assert form.initial["target"] == 50
    assert b"Raise Recognition favourable from 40%" in response.content


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"target": "40"}, "target"),
        ({"target": "120"}, "target"),
        ({"parent": ""}, "parent"),
        ({"driver": "x"}, "driver"),
    ],
)
def test_bad_input_shows_the_form_again_and_saves_nothing(scored, client_for, overrides, field):
    p = scored
    response = client_for(p.manager).post(plan_create_url(p.support), plan_data(p, **overrides))

    assert response.status_code == 200 and response.context["form"].errors[field]
    assert not Goal.objects.exclude(driver="").exists()


def test_members_and_managers_of_other_teams_may_not_make_plans(scored, client_for):
    p = scored
    assert client_for(p.member).post(plan_create_url(p.support), plan_data(p)).status_code == 403
    assert client_for(p.manager).post(plan_create_url(p.sales), plan_data(p)).status_code == 403
    assert not Goal.objects.exclude(driver="").exists()


def test_the_plan_page_shows_the_driver_trend_beside_the_key_results_and_check_ins(scored, client_for):
    p = scored
    snap(p.org, "team", p.support.pk, "favourable.recognition", Q3, 30.0, granularity="quarter")
    goal = make_plan(p)
    kr = goal.key_results.get()
    CheckIn.objects.create(key_result=kr, value=Decimal(45), note="Thank-you Fridays", author=p.manager, created_at=NOW)

    response = client_for(p.member).get(plan_url(goal))

    assert response.status_code == 200
    values = [t["value"] for t in response.context["trend"]]
    assert values[-2:] == [30.0, 40.0]
    body = response.content.decode()
    assert "Thank-you Fridays" in body and 'data-chart="plan-trend"' in body
    assert "The survey says 40% (2026-Q4)" in body
    kr.refresh_from_db()
    assert kr.current == Decimal(45)  # the survey figure is never written into the key result


def test_a_goal_without_a_driver_is_not_an_action_plan(scored, client_for):
    p = scored
    plain = GoalFactory(organization=p.org, team=p.support, parent=p.org_goal)

    assert client_for(p.admin).get(plan_url(plain)).status_code == 404
    assert client_for(p.member).get(plan_url(make_plan(p, team=p.sales))).status_code == 403


def test_the_goal_page_names_the_driver_and_links_to_the_plan(scored, client_for):
    p = scored
    goal = make_plan(p, driver="customer_focus")

    response = client_for(p.member).get(reverse("teams:goal_detail", kwargs={"pk": goal.pk}))

    assert "Action plan for" in response.content.decode()
    assert f'href="{plan_url(goal)}">Customer focus</a>' in response.content.decode()


@pytest.mark.parametrize("driver", DRIVERS)
def test_the_goal_page_link_knows_every_drivers_label(world, driver):
    goal = make_plan(world, driver=driver.value)

    assert f">{driver.label}</a>" in render_to_string("dashboards/action_plan_link.html", {"goal": goal})


# --- Query counts -----------------------------------------------------------------------------


def count_queries(client, url):
    client.get(url)  # once first: the first request of a session does one-off work
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)


def add_teams(p, count, first=0):
    for index in range(first, first + count):
        team = TeamFactory(organization=p.org, name=f"Team {index:02d}", managers=[p.manager])
        TeamMembershipFactory(team=team, membership__organization=p.org)
        figures(p.org, team, {"growth": 20.0 + index, "values": 90.0, "recognition": 50.0})


def test_the_organisation_page_costs_the_same_with_one_team_or_fifty(scored, client_for):
    p = scored
    client = client_for(p.manager)
    add_teams(p, 1)
    few, _ = count_queries(client, org_url())
    add_teams(p, 49, first=1)
    many, sql = count_queries(client, org_url())
    assert few == many, sql


def test_the_team_page_costs_the_same_with_one_plan_or_fifty(scored, client_for):
    p = scored
    client = client_for(p.manager)
    make_plan(p)
    few, _ = count_queries(client, team_url(p.support))
    for index in range(49):
        make_plan(p, driver=DRIVERS[index % len(DRIVERS)].value)
    many, sql = count_queries(client, team_url(p.support))
    assert few == many, sql


def test_the_plan_page_costs_the_same_with_one_check_in_or_fifty(scored, client_for):
    p = scored
    client = client_for(p.manager)
    goal = make_plan(p)
    kr = goal.key_results.get()

    def check_in(n):
        for i in range(n):
            CheckIn.objects.create(key_result=kr, value=40 + i % 10, author=p.manager, created_at=NOW)

    check_in(1)
    few, _ = count_queries(client, plan_url(goal))
    check_in(49)
    for _ in range(5):
        KeyResultFactory(goal=goal, unit="%", baseline=40, target=60, current=45)
    many, sql = count_queries(client, plan_url(goal))
    assert few == many, sql
