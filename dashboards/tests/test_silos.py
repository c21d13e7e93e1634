"""The silo map: pairs counted in SQL by period (the organisation's time zone), shared
wins once per pair, shared customers and functions, the silos list in order, the pair's
page listing only the handoffs the viewer may open, who may look, the API, and queries
that do not grow with the data."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from customers.models import OwnershipChange
from customers.tests.factories import CustomerAccountFactory
from dashboards.selectors import silos as selectors
from surveys.scoring.periods import MONTH, QUARTER, Period
from teamhub.lib.testing import api_url, error_fields
from teams.tests.factories import FunctionFactory, JobRoleFactory, TeamFactory, TeamMembershipFactory
from work.models import Handoff
from work.tests.factories import HandoffFactory, WinFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
Q4 = Period(QUARTER, dt.date(2026, 10, 1))
Q3 = Period(QUARTER, dt.date(2026, 7, 1))
DECEMBER = Period(MONTH, dt.date(2026, 12, 1))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _seat(team, role=None, membership=None, **kwargs):
    extra = {"membership": membership} if membership else {"membership__organization": team.organization}
    return TeamMembershipFactory(team=team, job_role=role, **extra, **kwargs).membership


def _handoff(p, sender, sender_team, *, to_team=None, to_member=None, receiving_team=None, when=NOW - 2 * DAY, **kw):
    return HandoffFactory(
        organization=p.org,
        sender=sender,
        sender_team=sender_team,
        to_team=to_team,
        to_member=to_member,
        receiving_team=receiving_team or to_team,
        created_at=when,
        **kw,
    )


@pytest.fixture
def scene(personas):
    """Acme, in London. Support (Bob manages it; Charlie and Dan on it) and Sales (Eve)
    share the Service function and work together. Field (Fay) and Finance (Fin) shared a
    win. Sales owns Skis, which Field owned before: they share a customer and never work
    together. Finance owns Ledger, which Support owned before, and Fin is in Service too:
    Finance and Support share a customer and a function, the strongest silo. Globex has
    its own teams and a handoff that counts nowhere here."""
    p = personas
    p.org.timezone = "Europe/London"
    p.org.save(update_fields=["timezone"])
    service = FunctionFactory(organization=p.org, name="Service")
    logistics = FunctionFactory(organization=p.org, name="Logistics")
    agent = JobRoleFactory(organization=p.org, function=service, name="Agent")
    driver = JobRoleFactory(organization=p.org, function=logistics, name="Driver")
    p.service = service
    p.support = TeamFactory(organization=p.org, name="Support", managers=[p.manager])
    p.sales = TeamFactory(organization=p.org, name="Sales")
    p.field = TeamFactory(organization=p.org, name="Field")
    p.finance = TeamFactory(organization=p.org, name="Finance")
    _seat(p.support, agent, p.member)
    p.dan = _seat(p.support)
    p.eve = _seat(p.sales, agent)
    p.fay = _seat(p.field, driver)
    p.fin = _seat(p.finance, agent)
    p.northwind = CustomerAccountFactory(organization=p.org, name="Northwind", owning_team=p.support)
    p.skis = CustomerAccountFactory(organization=p.org, name="Skis", owning_team=p.sales)
    OwnershipChange.objects.create(account=p.skis, from_team=p.field, to_team=p.sales, reason="Moved")
    p.ledger = CustomerAccountFactory(organization=p.org, name="Ledger", owning_team=p.finance)
    OwnershipChange.objects.create(account=p.ledger, from_team=p.support, to_team=p.finance, reason="Moved")

    # Support ↔ Sales: Support → Sales once in November, Sales → Support twice in December.
    p.to_sales = _handoff(
        p, p.member, p.support, to_team=p.sales, account=p.northwind, subject="Quote for tents", when=NOW - 20 * DAY
    )
    p.to_support = _handoff(p, p.eve, p.sales, to_team=p.support, account=p.skis, subject="Ski repair")
    # To Charlie about Sales' account: not Bob's to open (he neither sent, received nor owns it).
    p.private = _handoff(
        p, p.eve, p.sales, to_member=p.member, receiving_team=p.support, account=p.skis, subject="Eve's private ask"
    )
    p.last_quarter = _handoff(p, p.member, p.support, to_team=p.sales, account=p.northwind, when=NOW - 80 * DAY)
    p.within = _handoff(p, p.member, p.support, to_member=p.dan, receiving_team=p.support, account=p.northwind)
    # 23:30 on 30 September in UTC is 00:30 on 1 October in London: the fourth quarter's.
    p.midnight = _handoff(
        p, p.fay, p.field, to_team=p.finance, account=p.ledger, when=dt.datetime(2026, 9, 30, 23, 30, tzinfo=dt.UTC)
    )

    p.shared = WinFactory(
        organization=p.org, team=p.support, author=p.member, title="Shared launch", collaborators=[p.eve]
    )
    p.shared_twice = WinFactory(
        organization=p.org,
        team=p.sales,
        author=p.eve,
        title="Two from Support helped",
        collaborators=[p.member, p.dan],
        created_at=NOW - DAY,
    )
    p.own = WinFactory(organization=p.org, team=p.support, author=p.member, title="Teammates", collaborators=[p.dan])
    p.field_win = WinFactory(organization=p.org, team=p.field, author=p.fay, title="Fin helped", collaborators=[p.fin])
    p.old_win = WinFactory(
        organization=p.org, team=p.support, author=p.member, collaborators=[p.eve], created_at=NOW - 80 * DAY
    )

    p.globex_team = TeamFactory(organization=p.other_org, name="Globex ops")
    globex_other = TeamFactory(organization=p.other_org, name="Globex sales")
    HandoffFactory(
        organization=p.other_org,
        sender=p.outsider,
        sender_team=p.globex_team,
        to_member=None,
        to_team=globex_other,
        receiving_team=globex_other,
        account=CustomerAccountFactory(organization=p.other_org, owning_team=p.globex_team),
    )
    return p


def _pair(silo_map, x, y):
    return silo_map.pair(x, y)


# --- The map ------------------------------------------------------------------------------


def test_map_counts_handoffs_either_way_and_shared_wins_once(scene):
    p = scene
    silo_map = selectors.silo_map(membership=p.manager, period=Q4)

    pair = _pair(silo_map, p.support, p.sales)
    assert (pair.a, pair.b) == (p.sales, p.support)  # by name
    assert (pair.a_to_b, pair.b_to_a, pair.handoffs) == (2, 1, 3)
    # The win with two Support collaborators counts once; a win with a teammate not at all.
    assert pair.shared_wins == 2
    assert (pair.shared_functions, pair.shared_customers) == (1, 0)
    assert pair.works_together and not pair.is_silo
    assert [t.name for t in silo_map.teams] == ["Field", "Finance", "Sales", "Support"]
    assert silo_map.totals == {
        "teams": 4,
        "handoffs": 4,
        "shared_wins": 3,
        "working_pairs": 2,
        "pairs": 6,
        "silos": 3,
    }


def test_map_periods_follow_the_organisation_time_zone(scene):
    p = scene
    field_finance = _pair(selectors.silo_map(membership=p.admin, period=Q4), p.field, p.finance)
    assert (field_finance.handoffs, field_finance.shared_wins) == (1, 1)
    assert _pair(selectors.silo_map(membership=p.admin, period=Q3), p.field, p.finance).handoffs == 0

    december = _pair(selectors.silo_map(membership=p.admin, period=DECEMBER), p.support, p.sales)
    assert (december.a_to_b, december.b_to_a) == (2, 0)  # November's Support → Sales is not December's
    q3 = _pair(selectors.silo_map(membership=p.admin, period=Q3), p.support, p.sales)
    assert (q3.b_to_a, q3.shared_wins) == (1, 1)


def test_silos_are_pairs_with_shared_ties_and_no_work_strongest_first(scene):
    p = scene
    silos = selectors.silo_map(membership=p.manager, period=Q4).silos

    assert [(s.a.name, s.b.name, s.shared_customers, s.shared_functions) for s in silos] == [
        ("Finance", "Support", 1, 1),
        ("Field", "Sales", 1, 0),
        ("Finance", "Sales", 0, 1),
    ]


def test_a_pair_stops_being_a_silo_once_it_works_together(scene):
    p = scene
    _handoff(p, p.fin, p.finance, to_team=p.support, account=p.ledger)

    pairs = {(s.a.name, s.b.name) for s in selectors.silo_map(membership=p.manager, period=Q4).silos}
    assert ("Finance", "Support") not in pairs


def test_map_counts_nothing_of_another_organisation(scene):
    p = scene
    silo_map = selectors.silo_map(membership=p.outsider, period=Q4)
    assert [t.name for t in silo_map.teams] == ["Globex ops", "Globex sales"]
    assert silo_map.totals["handoffs"] == 1


def test_map_is_for_managers_and_admins(scene):
    with pytest.raises(PermissionDenied):
        selectors.silo_map(membership=scene.member, period=Q4)


def test_graph_has_an_edge_per_working_pair_and_per_silo(scene):
    p = scene
    graph = selectors.graph_data(selectors.silo_map(membership=p.admin, period=Q4), lambda pair: "/x/")
    assert [n["name"] for n in graph["nodes"]] == ["Field", "Finance", "Sales", "Support"]
    assert len(graph["edges"]) == 5
    assert sum(edge["silo"] for edge in graph["edges"]) == 3
    assert graph["max"] == 5


# --- One pair -----------------------------------------------------------------------------


def test_pair_lists_only_the_handoffs_the_viewer_may_open_and_counts_the_rest(scene):
    p = scene
    detail = selectors.pair_detail(membership=p.manager, team_a=p.support, team_b=p.sales, period=Q4)

    assert [h.subject for h in detail.handoffs] == ["Ski repair", "Quote for tents"]
    assert detail.hidden_handoffs == 1
    assert (detail.pair.a_to_b, detail.pair.b_to_a) == (2, 1)
    assert [w.title for w in detail.wins] == ["Shared launch", "Two from Support helped"]
    assert [m.pk for m in detail.wins[0].crossing] == [p.eve.pk]
    assert {m.pk for m in detail.wins[1].crossing} == {p.member.pk, p.dan.pk}
    assert detail.shared_functions == [p.service]
    assert detail.shared_customers == []

    everything = selectors.pair_detail(membership=p.admin, team_a=p.sales, team_b=p.support, period=Q4)
    assert len(everything.handoffs) == 3 and everything.hidden_handoffs == 0


def test_pair_shows_customers_both_owned(scene):
    p = scene
    detail = selectors.pair_detail(membership=p.manager, team_a=p.field, team_b=p.sales, period=Q4)
    assert detail.shared_customers == [p.skis]
    assert detail.pair.is_silo


def test_access_pair_answers_404_before_403(scene):
    p = scene
    with pytest.raises(Http404):
        selectors.access_pair(membership=p.member, team_a_id=p.support.pk, team_b_id=p.globex_team.pk)
    with pytest.raises(Http404):
        selectors.access_pair(membership=p.admin, team_a_id=p.support.pk, team_b_id=p.support.pk)
    with pytest.raises(Http404):
        selectors.access_pair(membership=p.admin, team_a_id=p.support.pk, team_b_id=2**70)
    with pytest.raises(PermissionDenied):
        selectors.access_pair(membership=p.member, team_a_id=p.support.pk, team_b_id=p.sales.pk)
    assert selectors.access_pair(membership=p.manager, team_a_id=p.sales.pk, team_b_id=p.support.pk) == (
        p.sales,
        p.support,
    )


# --- Pages --------------------------------------------------------------------------------


def test_map_page_shows_the_matrix_graph_data_and_silos(scene, client_for):
    p = scene
    response = client_for(p.manager).get(reverse("dashboards:silos"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "2026-Q4" in body
    assert 'id="silo-graph-data"' in body
    assert "Finance</strong> and <strong>Support" in body
    assert (
        reverse("dashboards:silo_pair", args=[p.sales.pk, p.support.pk]) + "?period=quarter&amp;start=2026-10-01"
        in body
    )
    # Team-level counts only: no handoff's subject, not even one Bob may open.
    assert "Ski repair" not in body and "Eve&#x27;s private ask" not in body


def test_map_page_takes_a_month_and_a_day(scene, client_for):
    response = client_for(scene.admin).get(reverse("dashboards:silos"), {"period": "month", "start": "2026-12-17"})
    assert response.status_code == 200
    assert response.context["period"] == DECEMBER
    assert "period=month&amp;start=2026-11-01" in response.content.decode()  # "Previous"


def test_map_page_explains_bad_input_and_shows_the_current_quarter(scene, client_for):
    response = client_for(scene.admin).get(reverse("dashboards:silos"), {"period": "week", "start": "soon"})
    assert response.status_code == 200
    assert response.context["period"] == Q4
    body = response.content.decode()
    assert "Select a valid choice" in body and "Enter a valid date" in body


def test_members_may_not_see_the_map(scene, client_for):
    p = scene
    assert client_for(p.member).get(reverse("dashboards:silos")).status_code == 403
    pair = reverse("dashboards:silo_pair", args=[p.support.pk, p.sales.pk])
    assert client_for(p.member).get(pair).status_code == 403


def test_pair_page_lists_what_the_viewer_may_open(scene, client_for):
    p = scene
    url = reverse("dashboards:silo_pair", args=[p.support.pk, p.sales.pk])
    body = client_for(p.manager).get(url).content.decode()

    assert "Quote for tents" in body and "Ski repair" in body and "Two from Support helped" in body
    assert "Eve&#x27;s private ask" not in body
    assert "1 more handoff between them is counted here but not yours to open" in body


def test_pair_page_of_another_organisation_is_not_found(scene, client_for):
    p = scene
    url = reverse("dashboards:silo_pair", args=[p.support.pk, p.globex_team.pk])
    assert client_for(p.admin).get(url).status_code == 404


# --- API ----------------------------------------------------------------------------------


def test_api_map_returns_teams_cells_and_silos(scene, as_manager):
    response = as_manager.get(api_url("api-silo-map"), {"period": "quarter", "start": "2026-11-15"})

    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {"granularity": "quarter", "start": "2026-10-01", "end": "2026-12-31", "label": "2026-Q4"}
    assert [t["name"] for t in data["teams"]] == ["Field", "Finance", "Sales", "Support"]
    cell = next(c for c in data["cells"] if (c["team_a"]["name"], c["team_b"]["name"]) == ("Sales", "Support"))
    assert cell == {
        "team_a": {"id": scene.sales.pk, "name": "Sales"},
        "team_b": {"id": scene.support.pk, "name": "Support"},
        "handoffs": 3,
        "handoffs_a_to_b": 2,
        "handoffs_b_to_a": 1,
        "shared_wins": 2,
        "shared_customers": 0,
        "shared_functions": 1,
        "silo": False,
    }
    assert [(s["team_a"]["name"], s["team_b"]["name"]) for s in data["silos"]] == [
        ("Finance", "Support"),
        ("Field", "Sales"),
        ("Finance", "Sales"),
    ]
    assert "Ski repair" not in response.content.decode()


def test_api_map_refuses_a_bad_period(scene, as_admin):
    response = as_admin.get(api_url("api-silo-map"), {"period": "week", "start": "soon"})
    assert response.status_code == 400
    assert set(error_fields(response)) == {"period", "start"}


def test_api_map_is_refused_to_members(scene, as_member):
    assert as_member.get(api_url("api-silo-map")).status_code == 403


def test_api_pair_lists_visible_handoffs_and_counts_the_rest(scene, as_manager):
    p = scene
    response = as_manager.get(api_url("api-silo-map-pair", team_a=p.support.pk, team_b=p.sales.pk))

    assert response.status_code == 200
    data = response.json()
    assert [h["subject"] for h in data["handoffs"]] == ["Ski repair", "Quote for tents"]
    assert data["hidden_handoffs"] == 1
    assert data["counts"]["handoffs"] == 3
    assert [w["title"] for w in data["wins"]] == ["Shared launch", "Two from Support helped"]
    assert data["wins"][0]["collaborators"] == [
        {"id": p.eve.pk, "user": {"id": p.eve.user.pk, "email": p.eve.user.email, "full_name": p.eve.user.full_name}}
    ]
    assert data["shared_functions"] == [{"id": p.service.pk, "name": "Service"}]
    assert "Eve's private ask" not in response.content.decode()


def test_api_pair_of_another_organisation_is_not_found_even_for_members(scene, as_member, as_admin):
    p = scene
    url = api_url("api-silo-map-pair", team_a=p.support.pk, team_b=p.globex_team.pk)
    assert as_member.get(url).status_code == 404
    assert as_admin.get(url).status_code == 404
    assert as_member.get(api_url("api-silo-map-pair", team_a=p.support.pk, team_b=p.sales.pk)).status_code == 403


# --- Queries that do not grow with the data ---------------------------------------------


def add_rows(p, count: int, prefix: str) -> None:
    """``count`` more of each kind: teams (with a person in Service), handoffs and shared
    wins with Support, accounts they took over from Support — and as many between Support
    and Sales, with accounts both owned."""
    for n in range(count):
        team = TeamFactory(organization=p.org, name=f"{prefix} {n}")
        person = _seat(team, JobRoleFactory(organization=p.org, function=p.service))
        account = CustomerAccountFactory(organization=p.org, owning_team=team, name=f"{prefix} account {n}")
        OwnershipChange.objects.create(account=account, from_team=p.support, to_team=team, reason="Moved")
        _handoff(p, person, team, to_team=p.support, account=account)
        WinFactory(organization=p.org, team=team, author=person, collaborators=[p.dan], title=f"Extra win {n}")
        shared = CustomerAccountFactory(organization=p.org, owning_team=p.sales, name=f"{prefix} shared account {n}")
        OwnershipChange.objects.create(account=shared, from_team=p.support, to_team=p.sales, reason="Moved")
        _handoff(p, p.member, p.support, to_team=p.sales, account=p.northwind, subject=f"Extra handoff {n}")
        _handoff(p, p.eve, p.sales, to_member=p.member, receiving_team=p.support, account=p.skis)
        WinFactory(organization=p.org, team=p.sales, author=p.eve, collaborators=[p.member], title=f"Shared win {n}")


def _queries(make_request) -> list[str]:
    make_request()  # the session's first write is not the page's
    with CaptureQueriesContext(connection) as queries:
        response = make_request()
    assert response.status_code == 200, response.content[:300]
    return [q["sql"] for q in queries.captured_queries]


def _same(few: list[str], many: list[str]) -> None:
    short = [q[:160] for q in few], [q[:160] for q in many]
    assert len(few) == len(many), "\n".join(["With 1 row:", *short[0], "", "With 51 rows:", *short[1]])


@pytest.mark.parametrize("where", ["page", "api"])
def test_map_queries_do_not_grow_with_teams_handoffs_wins_and_accounts(scene, client_for, api_client_for, where):
    p = scene
    add_rows(p, 1, "One")
    if where == "page":
        client, url = client_for(p.manager), reverse("dashboards:silos")
    else:
        client, url = api_client_for(p.manager), api_url("api-silo-map")
    few = _queries(lambda: client.get(url))
    add_rows(p, 50, "Many")
    many = _queries(lambda: client.get(url))
    _same(few, many)
    assert len(many) <= 14


@pytest.mark.parametrize("where", ["page", "api"])
def test_pair_queries_do_not_grow_with_handoffs_wins_and_accounts(scene, client_for, api_client_for, where):
    p = scene
    add_rows(p, 1, "One")
    if where == "page":
        client = client_for(p.manager)
        url = reverse("dashboards:silo_pair", args=[p.support.pk, p.sales.pk])
    else:
        client = api_client_for(p.manager)
        url = api_url("api-silo-map-pair", team_a=p.support.pk, team_b=p.sales.pk)
    few = _queries(lambda: client.get(url))
    add_rows(p, 50, "Many")
    many = _queries(lambda: client.get(url))
    _same(few, many)
    assert Handoff.objects.filter(sender_team=p.support, receiving_team=p.sales).count() > 50
