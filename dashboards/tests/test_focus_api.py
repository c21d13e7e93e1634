"""Focus areas and action plans through the API: GET …/focus-areas/ (the organisation's
or ?team=), POST …/action-plans/ (201 with the plan; bad input 400 and nothing
saved), GET …/action-plans/{id}/ (trend and progress); who may; and query counts."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.tests import test_focus_selectors as base
from dashboards.tests.test_focus_selectors import Q4_FIGURES, correlation, figures
from dashboards.tests.test_focus_views import make_plan
from teams.models import CheckIn, Goal, KeyResult
from teams.tests.factories import GoalFactory, TeamFactory

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
    return p


def focus_url(p, query="", org=None):
    return f"/api/v1/orgs/{(org or p.org).slug}/focus-areas/{query}"


def plans_url(p, tail=""):
    return f"/api/v1/orgs/{p.org.slug}/action-plans/{tail}"


def body(p, **overrides):
    return {"driver": "recognition", "team": p.support.pk, "parent": p.org_goal.pk, "target": 55, **overrides}


def drivers(rows):
    return [row["driver"] for row in rows]


def test_the_organisations_focus_areas_for_a_manager(scored, api_client_for):
    p = scored
    response = api_client_for(p.manager).get(focus_url(p))

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["scope_type"] == "org" and data["period"]["label"] == "2026-Q4"
    assert drivers(data["strongest"]) == ["customer_focus", "collaboration", "values"]
    assert drivers(data["weakest"]) == ["growth", "recognition", "enablement"]
    assert [row["team"]["name"] for row in data["teams"]] == ["Support"]


def test_members_may_not_read_the_organisations_focus_areas(scored, api_client_for):
    assert api_client_for(scored.member).get(focus_url(scored)).status_code == 403


def test_a_team_for_its_manager_shows_a_suppressed_driver_without_its_value(scored, api_client_for):
    p = scored
    data = api_client_for(p.manager).get(focus_url(p, f"?team={p.support.pk}")).json()

    [hidden] = data["not_enough_responses"]
    assert hidden == hidden | {"driver": "growth", "value": None, "sample_size": None, "suppressed": True}
    assert drivers(data["moves_with_engagement"]) == ["recognition"]
    recognition = data["weakest"][0]
    assert recognition["driver"] == "recognition" and recognition["start_here"] and recognition["correlation"] == 0.48
    assert data["can_plan"] is True and "12.0" not in str(data)


def test_a_member_reads_their_teams_shown_figures_only(scored, api_client_for):
    p = scored
    data = api_client_for(p.member).get(focus_url(p, f"?team={p.support.pk}")).json()

    assert data["not_enough_responses"] == [] and "growth" not in drivers(data["ranked"])
    assert data["can_plan"] is False


def test_another_team_is_refused_another_organisations_not_found_and_a_bad_query_is_400(scored, api_client_for):
    p = scored
    globex_team = TeamFactory(organization=p.other_org)
    client = api_client_for(p.member)

    assert client.get(focus_url(p, f"?team={p.sales.pk}")).status_code == 403
    assert client.get(focus_url(p, f"?team={globex_team.pk}")).status_code == 404
    assert client.get(focus_url(p, "?team=abc")).status_code == 400
    assert client.get(focus_url(p, "?granularity=week")).status_code == 400
    assert api_client_for(p.manager).get(focus_url(p, org=p.other_org)).status_code == 404


def test_a_manager_makes_a_plan_and_gets_it_back(scored, api_client_for):
    p = scored
    response = api_client_for(p.manager).post(plans_url(p), body(p, title="Thank people"), format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    goal = Goal.objects.get(pk=data["id"])
    assert (goal.driver, goal.team, goal.title) == ("recognition", p.support, "Thank people")
    assert data["driver"] == "recognition" and data["parent"] == p.org_goal.pk
    [kr] = data["key_results"]
    assert kr["title"] == "Raise Recognition favourable from 40% to 55%" and kr["baseline"] == "40.00"
    assert data["trend"][-1]["value"] == 40.0 and data["trend"][-1]["in_plan"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"driver": "engagement"}, "driver"),
        ({"target": 30}, "target"),
        ({"target": 101}, "target"),
        ({"parent": None}, "parent"),
    ],
)
def test_bad_input_is_400_with_the_field_and_nothing_saved(scored, api_client_for, overrides, field):
    p = scored
    response = api_client_for(p.manager).post(plans_url(p), body(p, **overrides), format="json")

    assert response.status_code == 400 and field in str(response.json())
    assert not Goal.objects.exclude(driver="").exists() and not KeyResult.objects.exists()


def test_another_organisations_team_or_goal_is_400(scored, api_client_for):
    p = scored
    globex_team = TeamFactory(organization=p.other_org)
    globex_goal = GoalFactory(organization=p.other_org)
    team_goal = GoalFactory(organization=p.org, team=p.support, parent=p.org_goal)
    client = api_client_for(p.admin)

    for overrides in ({"team": globex_team.pk}, {"parent": globex_goal.pk}, {"parent": team_goal.pk}):
        assert client.post(plans_url(p), body(p, **overrides), format="json").status_code == 400
    assert not Goal.objects.exclude(driver="").exists()


def test_members_and_other_teams_managers_may_not_make_plans(scored, api_client_for):
    p = scored
    assert api_client_for(p.member).post(plans_url(p), body(p), format="json").status_code == 403
    assert api_client_for(p.manager).post(plans_url(p), body(p, team=p.sales.pk), format="json").status_code == 403
    assert not Goal.objects.exclude(driver="").exists()


def test_a_plan_shows_its_trend_and_progress_to_the_teams_people(scored, api_client_for):
    p = scored
    goal = make_plan(p)
    kr = goal.key_results.get()
    CheckIn.objects.create(key_result=kr, value=45, note="Thank-you Fridays", author=p.manager, created_at=NOW)

    response = api_client_for(p.member).get(plans_url(p, f"{goal.pk}/"))

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["key_results"][0]["progress"] == 25
    assert data["key_results"][0]["check_ins"][0]["note"] == "Thank-you Fridays"
    assert [t["value"] for t in data["trend"]][-1] == 40.0
    assert api_client_for(p.member).get(plans_url(p, f"{make_plan(p, team=p.sales).pk}/")).status_code == 403
    plain = GoalFactory(organization=p.org, team=p.support, parent=p.org_goal)
    assert api_client_for(p.admin).get(plans_url(p, f"{plain.pk}/")).status_code == 404


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)


def test_the_focus_areas_cost_the_same_with_one_team_and_plan_or_fifty(scored, api_client_for):
    p = scored
    client = api_client_for(p.admin)
    make_plan(p)
    few_org, _ = count_queries(client, focus_url(p))
    few_team, _ = count_queries(client, focus_url(p, f"?team={p.support.pk}"))
    for index in range(49):
        team = TeamFactory(organization=p.org, name=f"Team {index:02d}")
        figures(p.org, team, {"growth": 20.0 + index, "values": 90.0})
        make_plan(p)
    many_org, sql = count_queries(client, focus_url(p))
    assert few_org == many_org, sql
    many_team, sql = count_queries(client, focus_url(p, f"?team={p.support.pk}"))
    assert few_team == many_team, sql


def test_a_plan_costs_the_same_with_one_check_in_or_fifty(scored, api_client_for):
    p = scored
    client = api_client_for(p.manager)
    goal = make_plan(p)
    kr = goal.key_results.get()
    CheckIn.objects.create(key_result=kr, value=41, author=p.manager, created_at=NOW)
    few, _ = count_queries(client, plans_url(p, f"{goal.pk}/"))
    for i in range(49):
        CheckIn.objects.create(key_result=kr, value=41 + i % 9, author=p.manager, created_at=NOW)
    many, sql = count_queries(client, plans_url(p, f"{goal.pk}/"))
    assert few == many, sql
