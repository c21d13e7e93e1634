"""The organisation view for admins (issue 13, point 2): its selector, page and API.

Acme has Support, Ops and Sales; Sales' engagement is suppressed. Time is frozen on
20 November 2026, so "current" is November (month). One closed round: Support 6 of
7 answered, Sales 5 of 6, Tiny 2 of 3 — Tiny is below the threshold (5) and Sales,
the next smallest, is hidden with it so no subtraction reveals Tiny.
"""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.tests.factories import MembershipFactory
from dashboards.selectors import organization as selectors
from surveys.models import Response, ScoreSnapshot, Survey, SurveyInvitation, SurveyRound
from teams.tests.factories import FunctionFactory, TeamFactory, ValueFactory
from work.tests.factories import WinFactory

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
NOVEMBER, OCTOBER = dt.date(2026, 11, 1), dt.date(2026, 10, 1)
REASON = "Fewer than 5 people answered."
URL = "/dashboard/organization/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def api(p, query=""):
    return f"/api/v1/orgs/{p.org.slug}/organization-dashboard/{query}"


def snap(org, scope_type, scope_id, metric, start=NOVEMBER, value=60.0, *, suppressed=False):
    return ScoreSnapshot.objects.create(
        organization=org,
        scope_type=scope_type,
        scope_id=scope_id,
        metric=metric,
        granularity="month",
        period_start=start,
        value=None if suppressed else value,
        sample_size=None if suppressed else 12,
        suppressed=suppressed,
        components={"suppressed": REASON} if suppressed else {"favourable": 6, "answers": 10},
        computed_at=timezone.now(),
    )


def a_round(
    p, pool, teams: dict, *, title="Pulse", status=SurveyRound.Status.CLOSED, opens=NOW - dt.timedelta(days=20)
):
    """A round of a new survey: ``teams`` maps a team to (invited, answered), drawn from
    ``pool`` (people may be invited to many rounds, once each)."""
    survey = Survey.objects.create(
        organization=p.org, title=title, first_opens_on=opens.date(), opens_at=dt.time(9), status="active"
    )
    round_ = SurveyRound.objects.create(
        organization=p.org,
        survey=survey,
        number=1,
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=5),
        remind_at=opens + dt.timedelta(days=2),
        status=status,
    )
    people = iter(pool)
    for team, (invited, answered) in teams.items():
        SurveyInvitation.objects.bulk_create(
            SurveyInvitation(round=round_, membership=next(people), team=team, answered=n < answered)
            for n in range(invited)
        )
        Response.objects.bulk_create(
            Response(organization=p.org, round=round_, team=team, submitted_on=opens.date()) for _ in range(answered)
        )
    return round_


@pytest.fixture
def world(personas):
    p = personas
    org = p.org
    p.support = TeamFactory(organization=org, name="Support")
    p.ops = TeamFactory(organization=org, name="Ops")
    p.sales = TeamFactory(organization=org, name="Sales")
    p.tiny = TeamFactory(organization=org, name="Tiny")
    p.service = FunctionFactory(organization=org, name="Service")
    snap(org, "org", org.pk, "engagement", OCTOBER, 60.0)
    snap(org, "org", org.pk, "engagement", NOVEMBER, 70.0)
    snap(org, "org", org.pk, "enps", NOVEMBER, suppressed=True)
    snap(org, "org", org.pk, "response_rate", NOVEMBER, 81.0)
    snap(org, "team", p.support.pk, "engagement", NOVEMBER, 70.0)
    snap(org, "team", p.ops.pk, "engagement", NOVEMBER, 50.0)
    snap(org, "team", p.sales.pk, "engagement", NOVEMBER, suppressed=True)
    snap(org, "team", p.support.pk, "favourable.growth", NOVEMBER, 88.0)
    snap(org, "function", p.service.pk, "handoff_sla", NOVEMBER, 90.0)
    p.pool = [MembershipFactory(organization=org) for _ in range(16)]
    p.round = a_round(p, p.pool, {p.support: (7, 6), p.sales: (6, 5), p.tiny: (3, 2)})
    p.customer_first = ValueFactory(organization=org, name="Customer first", order=1)
    ValueFactory(organization=org, name="Ownership", order=2)
    for _ in range(2):
        WinFactory(organization=org, team=p.support, author=p.member, values=[p.customer_first])
    return p


def row(rows, name):
    return next(r for r in rows if r.scope.name == name)


# --- Selector ---------------------------------------------------------------------------


def test_the_organisation_scores_have_their_change_and_a_suppressed_one_no_value(world):
    data = selectors.organization_dashboard(membership=world.admin)
    engagement, _collab, _nps, enps, response_rate, sla = data["scores"]
    assert (engagement.value, engagement.change, engagement.period_label) == (70.0, 10.0, "2026-11")
    assert enps.suppressed and enps.value is None and enps.explain["sample_size"] is None
    assert enps.explain["components"] == [] and enps.explain["reason"] == REASON
    assert response_rate.value == 81.0 and sla.snapshot is None


def test_teams_sort_by_a_metric_with_groups_without_a_figure_last(world):
    names = lambda rows: [r.scope.name for r in rows]  # noqa: E731
    board = selectors.organization_dashboard
    assert names(board(membership=world.admin)["teams"]) == ["Ops", "Sales", "Support", "Tiny"]
    assert names(board(membership=world.admin, team_sort="-engagement")["teams"]) == ["Support", "Ops", "Sales", "Tiny"]
    assert names(board(membership=world.admin, team_sort="engagement")["teams"]) == ["Ops", "Support", "Sales", "Tiny"]
    assert names(board(membership=world.admin, team_sort="-name")["teams"]) == ["Tiny", "Support", "Sales", "Ops"]
    assert names(board(membership=world.admin, team_sort="nonsense")["teams"]) == ["Ops", "Sales", "Support", "Tiny"]
    sales = row(board(membership=world.admin)["teams"], "Sales").score("engagement")
    assert sales.suppressed and sales.value is None


def test_functions_are_side_by_side_with_the_same_columns(world):
    data = selectors.organization_dashboard(membership=world.admin)
    (service,) = data["functions"]
    assert [s.metric for s in service.scores] == list(selectors.COMPARED)
    assert service.score("handoff_sla").value == 90.0


def test_the_trend_starts_with_the_organisation_then_each_team(world):
    engagement = selectors.organization_dashboard(membership=world.admin)["trends"][0]
    first, *teams = engagement["series"]
    assert first["kind"] == "organization" and first["team_id"] is None and first["values"][-2:] == [60.0, 70.0]
    assert [s["team"] for s in teams] == ["Ops", "Sales", "Support", "Tiny"]
    assert teams[1]["values"][-1] is None and teams[1]["suppressed"][-1] is True


def test_the_heatmap_has_every_team_and_its_drivers(world):
    data = selectors.organization_dashboard(membership=world.admin)
    support = next(r for r in data["heatmap"] if r["team"] == world.support)
    assert data["has_drivers"] and [s.value for s in support["drivers"] if s.value] == [88.0]


def test_values_in_action_count_wins_per_value_with_quiet_values_at_zero(world):
    values = selectors.organization_dashboard(membership=world.admin)["values"]
    assert values["rows"] == [{"value": "Customer first", "wins": 2}, {"value": "Ownership", "wins": 0}]
    assert values["total"] == 2 and values["data"]["datasets"][0]["data"] == [2, 0]


def test_participation_hides_small_teams_and_their_complement(world):
    (r,) = selectors.organization_dashboard(membership=world.admin)["rounds"]
    assert (r["organization"].invited, r["organization"].answered) == (16, 13)
    teams = {t.name: t for t in r["teams"]}
    assert (teams["Support"].answered, round(teams["Support"].rate, 1)) == (6, 85.7)
    for name in ("Sales", "Tiny"):
        assert teams[name].hidden and teams[name].answered is None and teams[name].rate is None


def test_an_open_round_shows_only_the_organisation_and_rounds_come_newest_first(world):
    a_round(world, world.pool, {world.support: (7, 6)}, title="Now", status="open", opens=NOW - dt.timedelta(days=1))
    first, second = selectors.organization_dashboard(membership=world.admin)["rounds"]
    assert first["round"].survey.title == "Now" and not first["closed"]
    assert first["organization"].answered == 6 and all(t.hidden for t in first["teams"])
    assert second["round"] == world.round


# --- Page -----------------------------------------------------------------------------


def test_the_page_shows_scores_tables_values_and_participation(world, client_for):
    response = client_for(world.admin).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Teams side by side",
        "Functions side by side",
        "Drivers by team",
        "Customer first",
        "Participation by round",
        "not enough responses",
        "How is this computed?",
        "86%",
    ):
        assert text in html, text
    assert 'aria-sort="ascending"' in html and "?granularity=month&amp;teams=-engagement" in html


def test_managers_and_members_are_refused_the_page(world, client_for):
    assert client_for(world.manager).get(URL).status_code == 403
    assert client_for(world.member).get(URL).status_code == 403


def test_htmx_gets_only_the_figures_and_the_switcher_keeps_the_sort(world, client_for):
    response = client_for(world.admin).get(URL + "?granularity=week&teams=-nps", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="organization-scores"' in html and "<html" not in html and "Participation by round" not in html
    assert "?granularity=month&amp;teams=-nps" in html


def test_an_empty_organisation_says_what_to_do(personas, client_for):
    html = client_for(personas.admin).get(URL).content.decode()
    assert "No team yet" in html and "No survey round has opened yet" in html and "No function yet" in html


# --- API ------------------------------------------------------------------------------


def test_the_api_returns_what_the_page_shows(world, api_client_for):
    response = api_client_for(world.admin).get(api(world, "?teams=-engagement"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["granularity"] == "month" and body["periods"][-1] == "2026-11"
    engagement, *_rest = body["scores"]
    assert (engagement["value"], engagement["change"]) == (70.0, 10.0)
    assert body["scores"][3]["value"] is None and body["scores"][3]["suppressed"] is True
    assert [t["name"] for t in body["teams"]] == ["Support", "Ops", "Sales", "Tiny"]
    assert body["teams"][2]["scores"][0] == {**body["teams"][2]["scores"][0], "value": None, "suppressed": True}
    assert body["functions"][0]["scores"][5]["value"] == 90.0
    assert body["trends"][0]["series"][0]["kind"] == "organization"
    assert body["values"]["rows"][0] == {"value": "Customer first", "wins": 2}
    (r,) = body["rounds"]
    assert r["organization"]["answered"] == 13
    sales = next(t for t in r["teams"] if t["name"] == "Sales")
    assert sales == {**sales, "hidden": True, "answered": None, "rate": None}


def test_the_api_refuses_managers_members_and_bad_input(world, api_client_for):
    assert api_client_for(world.manager).get(api(world)).status_code == 403
    assert api_client_for(world.member).get(api(world)).status_code == 403
    response = api_client_for(world.admin).get(api(world, "?granularity=fortnight&teams=height"))
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"granularity", "teams"}


# --- Queries ----------------------------------------------------------------------------


def count_queries(callable_) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = callable_()
    assert response.status_code == 200
    return len(queries), "\n".join(q["sql"] for q in queries.captured_queries)


def test_the_page_and_the_api_cost_the_same_queries_with_one_and_with_fifty(world, client_for, api_client_for):
    p = world
    page, endpoint = client_for(p.admin), api_client_for(p.admin)
    page.get(URL), endpoint.get(api(p))  # sessions, caches and the like, once
    one = count_queries(lambda: page.get(URL)), count_queries(lambda: endpoint.get(api(p)))
    for n in range(49):
        team = TeamFactory(organization=p.org, name=f"Team {n:02d}")
        function = FunctionFactory(organization=p.org, name=f"Function {n:02d}")
        snap(p.org, "team", team.pk, "engagement", NOVEMBER, 40.0 + n)
        snap(p.org, "team", team.pk, "favourable.growth", NOVEMBER, 60.0)
        snap(p.org, "function", function.pk, "engagement", NOVEMBER, 55.0)
        value = ValueFactory(organization=p.org, name=f"Value {n:02d}")
        WinFactory(organization=p.org, team=team, author=p.member, values=[value])
        a_round(p, p.pool, {team: (6, 5)}, title=f"Round {n:02d}", opens=NOW - dt.timedelta(days=30 + n))
    many = count_queries(lambda: page.get(URL)), count_queries(lambda: endpoint.get(api(p)))
    assert len(selectors.organization_dashboard(membership=p.admin)["teams"]) == 53
    for (before, _), (after, sql_after) in zip(one, many, strict=True):
        assert before == after, f"{before} queries with one of each, {after} with 50:\n{sql_after}"
