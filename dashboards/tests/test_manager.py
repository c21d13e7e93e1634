"""The manager dashboard (issue 13, point 1): its selector, page and API.

Bob (manager) manages Support; nobody here manages Sales. Time is frozen on
20 November 2026, so "current" is November (month), week 47 or Q4.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers.models import FollowUp
from customers.tests.factories import CustomerAccountFactory, FollowUpFactory
from dashboards.selectors import manager as selectors
from surveys.models import NpsFeedback, ScoreSnapshot
from teams.models import Commitment, Goal, Stage
from teams.tests.factories import GoalFactory, KeyResultFactory, TeamCommitmentFactory, TeamFactory
from work.tests.factories import HandoffFactory, SpotlightFactory, WinFactory

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
NOVEMBER, OCTOBER = dt.date(2026, 11, 1), dt.date(2026, 10, 1)
REASON = "Fewer than 5 people answered."
URL = "/dashboard/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def snap(org, team, metric, start=NOVEMBER, value=60.0, *, granularity="month", suppressed=False, components=None):
    return ScoreSnapshot.objects.create(
        organization=org,
        scope_type="team",
        scope_id=team.pk,
        metric=metric,
        granularity=granularity,
        period_start=start,
        value=None if suppressed else value,
        sample_size=None if suppressed else 12,
        suppressed=suppressed,
        components={"suppressed": REASON} if suppressed else (components or {"favourable": 6, "answers": 10}),
        computed_at=timezone.now(),
    )


def populate(p, team, *, name: str = ""):
    """One of everything the dashboard lists, for ``team``: scores, a late handoff, a
    detractor's follow-up, a spotlight, a goal with a key result, a kept commitment."""
    org = p.org
    snap(org, team, "engagement", OCTOBER, 60.0)
    snap(org, team, "engagement", NOVEMBER, 70.0)
    snap(org, team, "enps", NOVEMBER, suppressed=True)
    snap(org, team, "nps", NOVEMBER, -20.0, components={"promoters": 1, "passives": 2, "detractors": 2})
    snap(
        org,
        team,
        "collaboration",
        NOVEMBER,
        64.0,
        components={"responsiveness": {"value": 40.0, "weight": 0.3, "share": 0.5, "received": 5}, "missing": []},
    )
    snap(org, team, "favourable.growth", NOVEMBER, 88.0)
    snap(org, team, "engagement", dt.date(2026, 11, 16), 50.0, granularity="week")
    account = CustomerAccountFactory(organization=org, owning_team=team, name=f"{name or team.name} account")
    HandoffFactory(
        organization=org,
        account=account,
        to_member=None,
        to_team=team,
        subject=f"Late for {team.name}",
        created_at=NOW - dt.timedelta(hours=30),
    )
    follow_up = FollowUpFactory(
        account=account, summary=f"Detractor of {team.name}", created_at=NOW - dt.timedelta(days=3)
    )
    NpsFeedback.objects.create(
        organization=org, account=account, team=team, score=3, channel="api", received_at=NOW, follow_up=follow_up
    )
    win = WinFactory(organization=org, team=team, author=p.member, title=f"Win of {team.name}")
    SpotlightFactory(win=win, by=p.manager, note="What good looks like.")
    parent = GoalFactory(organization=org, title=f"Org goal for {team.name}")
    goal = GoalFactory(organization=org, team=team, parent=parent, title=f"Goal of {team.name}")
    KeyResultFactory(goal=goal, baseline=Decimal(0), target=Decimal(10), current=Decimal(4))
    TeamCommitmentFactory(team=team, commitment=Commitment.CUSTOMER_FIRST, is_kept=True, kept_since=OCTOBER)
    return account


@pytest.fixture
def world(personas):
    p = personas
    p.support = TeamFactory(organization=p.org, name="Support", stage=Stage.PERFORMING, managers=[p.manager])
    p.sales = TeamFactory(organization=p.org, name="Sales")
    p.support_account = populate(p, p.support)
    snap(p.org, p.sales, "engagement", NOVEMBER, 99.0)
    return p


def headline(board, metric):
    return next(s for s in board.scores if s.metric == metric)


# --- Selector ---------------------------------------------------------------------------


def test_a_manager_sees_a_card_per_team_they_manage_with_the_change_since_the_period_before(world):
    p = world
    data = selectors.manager_dashboard(membership=p.manager)
    assert [b.team for b in data["teams"]] == [p.support]
    assert data["all_teams"] is False
    engagement = headline(data["teams"][0], "engagement")
    assert (engagement.value, engagement.change, engagement.direction) == (70.0, 10.0, "up")
    assert engagement.period_label == "2026-11" and engagement.previous_label == "2026-10"


def test_a_suppressed_score_has_no_value_and_its_explanation_only_says_why(world):
    enps = headline(selectors.manager_dashboard(membership=world.manager)["teams"][0], "enps")
    assert enps.suppressed and enps.value is None and enps.change is None
    assert enps.explain["components"] == [] and enps.explain["sample_size"] is None
    assert enps.explain["reason"] == REASON


def test_an_explanation_lists_nested_components_as_indented_rows(world):
    collaboration = headline(selectors.manager_dashboard(membership=world.manager)["teams"][0], "collaboration")
    rows = collaboration.explain["components"]
    assert {"label": "Responsiveness", "value": "40", "level": 0} in rows
    assert {"label": "Weight", "value": "30%", "level": 1} in rows
    assert collaboration.explain["sample_size"] == 12


def test_an_admin_who_manages_no_team_sees_every_team(world):
    data = selectors.manager_dashboard(membership=world.admin)
    assert [b.team.name for b in data["teams"]] == ["Sales", "Support"]
    assert data["all_teams"] is True


def test_an_admin_who_manages_a_team_sees_the_teams_they_manage(world):
    world.sales.managers.add(world.admin)
    assert [b.team for b in selectors.manager_dashboard(membership=world.admin)["teams"]] == [world.sales]


def test_the_trend_has_one_line_per_team_with_gaps_for_suppressed_periods(world):
    data = selectors.manager_dashboard(membership=world.manager)
    labels = data["trends"][0]["labels"]
    assert len(labels) == 12 and labels[-1] == "2026-11"
    engagement, _collaboration, _nps, enps = data["trends"]
    assert engagement["series"][0]["values"][-2:] == [60.0, 70.0]
    assert enps["series"][0]["values"][-1] is None and enps["series"][0]["suppressed"][-1] is True


def test_the_week_switch_reads_weekly_snapshots(world):
    data = selectors.manager_dashboard(membership=world.manager, granularity="week")
    assert headline(data["teams"][0], "engagement").value == 50.0
    assert data["trends"][0]["labels"][-1] == "2026-W47"


def test_the_heatmap_row_holds_each_driver_latest_figure(world):
    board = selectors.manager_dashboard(membership=world.manager)["teams"][0]
    growth = next(s for s in board.drivers if s.metric == "favourable.growth")
    assert (growth.value, growth.band) == (88.0, 4)
    assert all(s.snapshot is None for s in board.drivers if s.metric != "favourable.growth")


def test_sla_breaches_list_only_open_handoffs_waiting_past_their_sla(world):
    p = world
    HandoffFactory(organization=p.org, account=p.support_account, to_member=None, to_team=p.support, subject="Fresh")
    HandoffFactory(
        organization=p.org,
        account=p.support_account,
        to_member=None,
        to_team=p.support,
        subject="Accepted late",
        status="accepted",
        created_at=NOW - dt.timedelta(days=3),
    )
    HandoffFactory(
        organization=p.org,
        account=p.support_account,
        to_member=None,
        to_team=p.sales,
        created_at=NOW - dt.timedelta(days=3),
    )
    data = selectors.manager_dashboard(membership=p.manager)
    assert [h.subject for h in data["breaches"]] == ["Late for Support"]
    assert data["breach_total"] == 1 and data["breaches"][0].age == dt.timedelta(hours=30)


def test_follow_ups_list_only_open_ones_a_detractor_opened(world):
    p = world
    promoter = FollowUpFactory(account=p.support_account, summary="Promoter")
    NpsFeedback.objects.create(
        organization=p.org, account=p.support_account, score=10, channel="api", received_at=NOW, follow_up=promoter
    )
    done = FollowUpFactory(account=p.support_account, summary="Done", status=FollowUp.Status.DONE)
    NpsFeedback.objects.create(
        organization=p.org, account=p.support_account, score=2, channel="api", received_at=NOW, follow_up=done
    )
    FollowUpFactory(account=p.support_account, summary="Not from feedback")
    data = selectors.manager_dashboard(membership=p.manager)
    assert [f.summary for f in data["follow_ups"]] == ["Detractor of Support"]
    assert data["follow_ups"][0].age == dt.timedelta(days=3)


def test_spotlights_goals_and_commitments_are_the_teams(world):
    p = world
    parent = GoalFactory(organization=p.org)
    GoalFactory(organization=p.org, team=p.sales, parent=parent, title="Sales goal")
    GoalFactory(
        organization=p.org,
        team=p.support,
        parent=parent,
        title="Done long ago",
        status=Goal.Status.ACHIEVED,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
    )
    data = selectors.manager_dashboard(membership=p.manager)
    assert [s.win.title for s in data["spotlights"]] == ["Win of Support"]
    assert [g.title for g in data["goals"]] == ["Goal of Support"]
    assert data["goals"][0].key_results.all()[0].progress == 40
    assert data["teams"][0].kept == 1 and len(data["teams"][0].commitments) == 6


# --- Page -------------------------------------------------------------------------------


def test_the_page_shows_the_cards_with_arrows_and_not_enough_responses(world, client_for):
    response = client_for(world.manager).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your teams" in html and "Support" in html and "Sales" not in html
    assert "▲" in html and "+10.0" in html and "since 2026-10" in html
    assert "not enough responses" in html and REASON in html
    assert "How is this computed?" in html
    assert "Late for Support" in html and "Detractor of Support" in html and "Win of Support" in html
    assert "Goal of Support" in html and "1 of 6 commitments kept" in html


def test_members_are_refused_the_page(world, client_for):
    assert client_for(world.member).get(URL).status_code == 403


def test_the_switcher_works_without_javascript_and_falls_back_to_the_month(world, client_for):
    client = client_for(world.manager)
    week = client.get(URL, {"granularity": "week"}).content.decode()
    assert "Trends by week" in week and "2026-W47" in week
    chosen = 'hx-get="?granularity=week" hx-target="#dashboard-scores" hx-swap="outerHTML" hx-push-url="true" '
    assert chosen + 'aria-current="page"' in week
    assert "Trends by month" in client.get(URL, {"granularity": "fortnight"}).content.decode()


def test_htmx_gets_only_the_figures(world, client_for):
    response = client_for(world.manager).get(URL, {"granularity": "quarter"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="dashboard-scores"')
    assert "<html" not in html and "SLA breaches" not in html and "Trends by quarter" in html


def test_a_manager_without_teams_is_told_how_to_get_data(personas, client_for):
    html = client_for(personas.manager).get(URL).content.decode()
    assert "You do not manage a team yet" in html and "An admin makes you a team's manager" in html


def test_empty_lists_say_what_to_do(personas, client_for):
    TeamFactory(organization=personas.org, name="Quiet", managers=[personas.manager])
    html = client_for(personas.manager).get(URL).content.decode()
    assert "No data yet" in html and "start one for the team under Surveys" in html
    assert "No handoff waits past its SLA" in html and "No spotlight yet" in html
    assert "No driver scores yet" in html and "No team goal running" in html


# --- API --------------------------------------------------------------------------------


def api(p, query=""):
    return f"/api/v1/orgs/{p.org.slug}/dashboard/{query}"


def test_the_api_returns_what_the_page_shows(world, api_client_for):
    response = api_client_for(world.manager).get(api(world))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["granularity"] == "month" and body["periods"][-1] == "2026-11"
    (team,) = body["teams"]
    assert (team["name"], team["stage"], team["commitments_kept"]) == ("Support", "performing", 1)
    engagement, collaboration, _nps, enps = team["scores"]
    assert (engagement["value"], engagement["change"], engagement["period"]) == (70.0, 10.0, "2026-11")
    assert collaboration["explanation"]["components"]["responsiveness"]["received"] == 5
    assert enps == {
        **enps,
        "value": None,
        "suppressed": True,
        "sample_size": None,
        "explanation": {**enps["explanation"], "components": {"suppressed": REASON}},
    }
    assert body["trends"][0]["series"][0]["values"][-1] == 70.0
    assert [b["subject"] for b in body["breaches"]] == ["Late for Support"] and body["breaches"][0]["age_hours"] == 30
    assert body["follow_ups"][0]["score"] == 3 and body["follow_ups"][0]["age_days"] == 3
    assert body["spotlights"][0]["title"] == "Win of Support"
    assert body["goals"][0]["key_results"][0]["progress"] == 40


def test_the_api_refuses_members_and_a_bad_granularity(world, api_client_for):
    assert api_client_for(world.member).get(api(world)).status_code == 403
    response = api_client_for(world.manager).get(api(world, "?granularity=fortnight"))
    assert response.status_code == 400 and "granularity" in response.content.decode()


# --- Queries ----------------------------------------------------------------------------


def count_queries(callable_) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = callable_()
    assert response.status_code == 200
    return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)


def test_the_page_and_the_api_cost_the_same_queries_with_one_team_and_with_many(world, client_for, api_client_for):
    p = world
    page, endpoint = client_for(p.manager), api_client_for(p.manager)
    page.get(URL), endpoint.get(api(p))  # sessions, caches and the like, once
    one = count_queries(lambda: page.get(URL)), count_queries(lambda: endpoint.get(api(p)))
    for n in range(49):
        team = TeamFactory(organization=p.org, name=f"Team {n:02d}", managers=[p.manager])
        populate(p, team)
    many = count_queries(lambda: page.get(URL)), count_queries(lambda: endpoint.get(api(p)))
    assert selectors.manager_dashboard(membership=p.manager)["breach_total"] == 50
    for (before, _), (after, sql_after) in zip(one, many, strict=True):
        assert before == after, f"{before} queries with one team, {after} with 50:\n{sql_after}"
