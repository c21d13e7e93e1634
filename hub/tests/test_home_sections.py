"""Home, issue 13 point 8: the person's follow-ups, customers and team scores, on the
page and in the API, in a number of queries that does not grow with the rows."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from customers.models import CustomerAccount, FollowUp
from customers.tests.factories import CustomerAccountFactory, FollowUpFactory
from hub import selectors
from surveys.models import ScoreSnapshot
from teams.tests.factories import ExcellenceCriterionFactory, TeamFactory, TeamMembershipFactory
from work.tests.factories import HandoffFactory, WinFactory

NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
NOVEMBER, OCTOBER = dt.date(2026, 11, 1), dt.date(2026, 10, 1)
API = "/api/v1/orgs/acme/home/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def snap(org, scope, metric, start=NOVEMBER, value=60.0, *, scope_type="team", suppressed=False):
    return ScoreSnapshot.objects.create(
        organization=org,
        scope_type=scope_type,
        scope_id=scope.pk,
        metric=metric,
        granularity="month",
        period_start=start,
        value=None if suppressed else value,
        sample_size=None if suppressed else 12,
        suppressed=suppressed,
        components={"suppressed": "Fewer than 5 people answered."} if suppressed else {"favourable": 6, "answers": 10},
        computed_at=timezone.now(),
    )


@pytest.fixture
def team(personas):
    """The member's team, managed by the manager, with an account and scores: engagement
    up from October, eNPS suppressed."""
    team = TeamFactory(organization=personas.org, name="Harbour", managers=[personas.manager])
    TeamMembershipFactory(team=team, membership=personas.member)
    snap(personas.org, team, "engagement", OCTOBER, 60.0)
    snap(personas.org, team, "engagement", NOVEMBER, 72.0)
    snap(personas.org, team, "enps", NOVEMBER, suppressed=True)
    return team


def follow_up(account, owner, **kwargs):
    return FollowUpFactory(account=account, owner=owner, created_by=owner, **kwargs)


# --- Selectors ------------------------------------------------------------------------


def test_my_follow_ups_lists_the_persons_open_ones_overdue_first(personas, team):
    account = CustomerAccountFactory(organization=personas.org, owning_team=team)
    later = follow_up(account, personas.member, summary="Later", due_date=dt.date(2026, 12, 1))
    late = follow_up(account, personas.member, summary="Late", due_date=dt.date(2026, 11, 1))
    undated = follow_up(account, personas.member, summary="Undated")
    follow_up(account, personas.member, summary="Done", status=FollowUp.Status.DONE)
    follow_up(account, personas.manager, summary="Someone else's")

    rows, total = selectors.my_follow_ups(membership=personas.member)

    assert [f.summary for f in rows] == [late.summary, later.summary, undated.summary]
    assert [f.overdue for f in rows] == [True, False, False]
    assert total == 3


def test_my_follow_ups_leaves_out_an_account_the_person_no_longer_reads(personas, team):
    elsewhere = CustomerAccountFactory(organization=personas.org)  # another team's
    follow_up(elsewhere, personas.member)

    assert selectors.my_follow_ups(membership=personas.member) == ([], 0)


def test_my_customers_puts_the_ones_the_person_leads_first_then_at_risk(personas, team):
    other_team = TeamFactory(organization=personas.org)
    CustomerAccountFactory(organization=personas.org, owning_team=team, name="Alder")
    CustomerAccountFactory(
        organization=personas.org, owning_team=team, name="Birch", status=CustomerAccount.Status.AT_RISK
    )
    led = CustomerAccountFactory(organization=personas.org, owning_team=other_team, name="Cedar", lead=personas.member)
    CustomerAccountFactory(organization=personas.org, owning_team=other_team, name="Not mine")

    rows, total = selectors.my_customers(membership=personas.member)

    assert [a.name for a in rows] == ["Cedar", "Birch", "Alder"]
    assert total == 3
    # Led by the member but owned by a team they are not on: named, no details, no NPS.
    assert rows[0] == led and rows[0].led_by_me and not rows[0].in_full and rows[0].nps is None


def test_my_customers_carry_their_latest_nps(personas, team):
    account = CustomerAccountFactory(organization=personas.org, owning_team=team)
    snap(personas.org, account, "nps", OCTOBER, 10.0, scope_type="account")
    snap(personas.org, account, "nps", NOVEMBER, 30.0, scope_type="account")

    [row], _ = selectors.my_customers(membership=personas.member)

    assert row.nps.value == 30.0 and row.nps.change == 20.0 and row.nps.period_label == "2026-11"


def test_team_scores_hide_a_suppressed_one_from_a_member_entirely(personas, team):
    [board] = selectors.my_team_scores(membership=personas.member)
    by_metric = {s.metric: s for s in board["scores"]}

    assert board["team"] == team
    assert list(by_metric) == ["engagement", "collaboration", "nps", "enps"]
    assert by_metric["engagement"].value == 72.0 and by_metric["engagement"].change == 12.0
    assert by_metric["enps"].snapshot is None  # absent, not "suppressed"


def test_team_scores_show_a_manager_the_suppressed_one_without_its_value(personas, team):
    [board] = selectors.my_team_scores(membership=personas.manager)
    enps = next(s for s in board["scores"] if s.metric == "enps")

    assert enps.suppressed and enps.value is None


def test_team_scores_leave_out_teams_the_person_is_not_on(personas, team):
    snap(personas.org, TeamFactory(organization=personas.org), "engagement")

    assert [b["team"] for b in selectors.my_team_scores(membership=personas.member)] == [team]


# --- Page -----------------------------------------------------------------------------


def test_home_shows_follow_ups_customers_and_scores(client_for, personas, team):
    account = CustomerAccountFactory(organization=personas.org, owning_team=team, name="Harbour Foods")
    follow_up(account, personas.member, summary="Call back about the order", due_date=dt.date(2026, 11, 2))

    body = client_for(personas.member).get(reverse("home")).content.decode()

    assert "Call back about the order" in body and "overdue since 2 Nov" in body
    assert "Harbour Foods" in body
    assert "Your teams' scores" in body and ">72<" in body
    assert "not enough responses yet" in body  # eNPS, suppressed: absent for the member
    assert "How is this computed?" in body
    assert "Your dashboard" not in body


def test_home_links_a_manager_to_the_dashboard_and_never_shows_a_suppressed_value(client_for, personas, team):
    body = client_for(personas.manager).get(reverse("home")).content.decode()

    assert 'href="/dashboard/"' in body and "Your dashboard" in body
    assert "Not enough responses. Fewer than 5 people answered." in body


def test_home_empty_states_say_what_to_do(client_for, personas):
    body = client_for(personas.member).get(reverse("home")).content.decode()

    assert "No follow-up is yours right now" in body
    assert "No customer is yours yet" in body
    assert "No team scores for you yet" in body


# --- API ------------------------------------------------------------------------------


def test_api_home_returns_what_the_page_shows(api_client_for, personas, team):
    account = CustomerAccountFactory(organization=personas.org, owning_team=team, name="Harbour Foods")
    follow_up(account, personas.member, summary="Call back")
    snap(personas.org, account, "nps", NOVEMBER, 40.0, scope_type="account")

    data = api_client_for(personas.member).get(API).json()

    assert data["is_manager"] is False
    assert [t["team"]["name"] for t in data["teams"]] == ["Harbour"]
    assert [f["summary"] for f in data["follow_ups"]] == ["Call back"] and data["follow_up_total"] == 1
    assert data["customers"][0]["name"] == "Harbour Foods" and data["customers"][0]["nps"]["value"] == 40.0
    scores = {s["metric"]: s for s in data["team_scores"][0]["scores"]}
    assert scores["engagement"]["value"] == 72.0 and scores["engagement"]["change"] == 12.0
    assert scores["enps"] == {
        "metric": "enps",
        "label": "eNPS",
        "snapshot_id": None,
        "period": "",
        "value": None,
        "suppressed": False,
        "change": None,
        "explanation": None,
    }
    assert set(data["inbox"]) == {"to_me", "to_my_teams", "sent"}


def test_api_home_gives_a_manager_the_suppressed_score_without_its_value(api_client_for, personas, team):
    data = api_client_for(personas.manager).get(API).json()
    enps = next(s for s in data["team_scores"][0]["scores"] if s["metric"] == "enps")

    assert data["is_manager"] is True
    assert enps["suppressed"] is True and enps["value"] is None
    assert enps["explanation"]["components"] == {"suppressed": "Fewer than 5 people answered."}


# --- Queries --------------------------------------------------------------------------


def _populate(personas, count: int):
    """``count`` rows of each kind for the member: teams with scores and a criterion,
    accounts with NPS, follow-ups, handoffs to them and wins."""
    org, member = personas.org, personas.member
    for n in range(count):
        team = TeamFactory(organization=org, managers=[personas.manager])
        tm = TeamMembershipFactory(team=team, membership=member)
        ExcellenceCriterionFactory(team_membership=tm)
        snap(org, team, "engagement", OCTOBER, 50.0)
        snap(org, team, "engagement", NOVEMBER, 60.0)
        snap(org, team, "nps", NOVEMBER, 20.0)
        account = CustomerAccountFactory(organization=org, owning_team=team, lead=member if n % 2 else None)
        snap(org, account, "nps", NOVEMBER, 30.0, scope_type="account")
        follow_up(account, member, due_date=dt.date(2026, 11, 1 + n % 28))
        HandoffFactory(organization=org, account=account, sender=personas.manager, to_member=member)
        WinFactory(organization=org, team=team, author=member, account=account)


def _queries(fetch) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        assert fetch().status_code == 200
    return len(captured), "\n\n".join(q["sql"] for q in captured.captured_queries)


@pytest.mark.parametrize("surface", ["page", "api"])
def test_home_queries_do_not_grow_with_rows(client_for, api_client_for, personas, surface):
    if surface == "page":
        client = client_for(personas.member)
        fetch = lambda: client.get(reverse("home"))  # noqa: E731
    else:
        client = api_client_for(personas.member)
        fetch = lambda: client.get(API)  # noqa: E731
    _populate(personas, 1)
    fetch()  # settle the session
    few, _ = _queries(fetch)

    _populate(personas, 49)
    many, many_sql = _queries(fetch)

    assert few == many, f"{few} queries with 1 row of each kind, {many} with 50:\n\n{many_sql}"
