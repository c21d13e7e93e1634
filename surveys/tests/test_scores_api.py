"""The scores API: GET /api/v1/orgs/{slug}/scores/ (filtered, paginated), …/scores/current/
and …/scores/{id}/explanation/; who reads which scores (surveys.access.access_scores),
suppressed scores never showing a value, bad filters answering 400, and query counts
that do not grow with the data.

``make_score_objects`` builds the snapshots and run the authorization matrix addresses
(tests/authz.py)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from customers.tests.factories import CustomerAccountFactory
from surveys.models import ScoreRun, ScoreSnapshot
from surveys.scoring import engine
from surveys.scoring.periods import MONTH, Period
from teams.tests.factories import FunctionFactory

pytestmark = pytest.mark.django_db

OCTOBER, NOVEMBER = dt.date(2026, 10, 1), dt.date(2026, 11, 1)
REASON = "fewer than 5 respondents"


def snap(org, scope_type, scope_id, metric="engagement", start=NOVEMBER, value=60.0, *, granularity="month", **kw):
    suppressed = kw.pop("suppressed", False)
    return ScoreSnapshot.objects.create(
        organization=org,
        scope_type=scope_type,
        scope_id=scope_id,
        metric=metric,
        granularity=granularity,
        period_start=start,
        value=None if suppressed else value,
        sample_size=None if suppressed else kw.pop("sample_size", 12),
        suppressed=suppressed,
        components={"suppressed": REASON} if suppressed else kw.pop("components", {"favourable": 6, "answers": 10}),
        computed_at=timezone.now(),
    )


def make_score_objects(*, admin, team, unmanaged_team, function, other_account) -> dict:
    """One organisation's scores the matrix addresses: ``team``'s shown engagement (its
    member, its manager and admins read it) and a suppressed one (not its member),
    ``unmanaged_team``'s (admins only), a function's (managers and admins), the
    organisation's (everyone), ``other_account``'s NPS (admins only), and a finished
    recompute run."""
    org = admin.organization
    return {
        "team_score": snap(org, "team", team.pk, value=71.0),
        "hidden_score": snap(org, "team", team.pk, "enps", suppressed=True),
        "other_team_score": snap(org, "team", unmanaged_team.pk, value=33.0),
        "function_score": snap(org, "function", function.pk, value=55.0),
        "org_score": snap(org, "org", org.pk, value=64.0),
        "account_score": snap(org, "account", other_account.pk, "nps", value=-20.0),
        "score_run": ScoreRun.objects.create(
            organization=org, requested_by=admin, status=ScoreRun.Status.DONE, done=3, total=3, written=40
        ),
    }


@pytest.fixture
def world(acme):
    """Support (Bob manages it, Charlie is on it) and Sales (nobody here), with scores
    for both, a function, two accounts (Support's and Sales'), and the organisation."""
    p = acme
    org = p.org
    p.service = FunctionFactory(organization=org, name="Service")
    p.northwind = CustomerAccountFactory(organization=org, name="Northwind", owning_team=p.support)
    p.skis = CustomerAccountFactory(organization=org, name="Skis", owning_team=p.sales)
    p.support_oct = snap(org, "team", p.support.pk, start=OCTOBER, value=50.0)
    p.support_nov = snap(org, "team", p.support.pk, value=62.5)
    p.support_enps_oct = snap(org, "team", p.support.pk, "enps", OCTOBER, 10.0)
    p.support_enps_nov = snap(org, "team", p.support.pk, "enps", suppressed=True)
    p.support_week = snap(org, "team", p.support.pk, start=dt.date(2026, 11, 23), granularity="week")
    p.sales_nov = snap(org, "team", p.sales.pk, value=40.0)
    p.service_nov = snap(org, "function", p.service.pk, value=45.0)
    p.org_nov = snap(org, "org", org.pk, value=58.0)
    p.org_enps_nov = snap(org, "org", org.pk, "enps", suppressed=True)
    p.northwind_nps = snap(org, "account", p.northwind.pk, "nps", value=25.0)
    p.skis_nps = snap(org, "account", p.skis.pk, "nps", value=-50.0)
    # Globex's, which no Acme persona ever reads.
    p.globex_org = snap(p.other_org, "org", p.other_org.pk, value=99.0)
    return p


def url(p, tail="", org=None):
    return f"/api/v1/orgs/{(org or p.org).slug}/scores/{tail}"


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_an_admin_reads_every_score_of_the_organisation_and_none_of_another(world, api_client_for):
    p = world
    found = ids(api_client_for(p.admin).get(url(p)))
    assert found == set(ScoreSnapshot.objects.filter(organization=p.org).values_list("pk", flat=True))
    assert p.globex_org.pk not in found


def test_a_manager_reads_the_teams_they_manage_the_organisation_functions_and_their_accounts(world, api_client_for):
    p = world
    found = ids(api_client_for(p.manager).get(url(p)))
    assert found == {
        p.support_oct.pk,
        p.support_nov.pk,
        p.support_enps_oct.pk,
        p.support_enps_nov.pk,  # suppressed: shown as such
        p.support_week.pk,
        p.service_nov.pk,
        p.org_nov.pk,
        p.org_enps_nov.pk,
        p.northwind_nps.pk,
    }


def test_a_member_reads_their_teams_and_the_organisations_shown_scores_and_their_accounts(world, api_client_for):
    p = world
    found = ids(api_client_for(p.member).get(url(p)))
    # No suppressed score, no function, not Sales (not theirs), not Sales' account.
    assert found == {
        p.support_oct.pk,
        p.support_nov.pk,
        p.support_enps_oct.pk,
        p.support_week.pk,
        p.org_nov.pk,
        p.northwind_nps.pk,
    }


def test_a_suppressed_score_is_null_with_no_sample_size_and_only_the_reason(world, api_client_for):
    p = world
    client = api_client_for(p.manager)
    rows = client.get(url(p), {"scope_type": "team", "scope_id": p.support.pk, "metric": "enps"}).json()["results"]
    hidden = next(row for row in rows if row["id"] == p.support_enps_nov.pk)
    assert (hidden["value"], hidden["suppressed"], hidden["sample_size"]) == (None, True, None)
    explained = client.get(url(p, f"{p.support_enps_nov.pk}/explanation/")).json()
    assert (explained["value"], explained["sample_size"], explained["suppressed"]) == (None, None, True)
    assert explained["components"] == {"suppressed": REASON}
    assert "eNPS" in explained["metric_label"] and "recommend" in explained["formula"]


def test_filters_by_scope_metric_granularity_and_period_range(world, as_admin):
    p = world
    team = {"scope_type": "team", "scope_id": p.support.pk}
    assert ids(as_admin.get(url(p), {**team, "metric": "engagement", "granularity": "month"})) == {
        p.support_oct.pk,
        p.support_nov.pk,
    }
    assert ids(as_admin.get(url(p), {**team, "granularity": "week"})) == {p.support_week.pk}
    in_november = {**team, "granularity": "month", "from": "2026-11-01", "to": "2026-11-30"}
    assert ids(as_admin.get(url(p), in_november)) == {p.support_nov.pk, p.support_enps_nov.pk}
    assert ids(as_admin.get(url(p), {**team, "to": "2026-10-31"})) == {p.support_oct.pk, p.support_enps_oct.pk}
    assert ids(as_admin.get(url(p), {"scope_type": "org", "scope_id": p.org.pk, "metric": "engagement"})) == {
        p.org_nov.pk
    }


def test_a_row_shows_its_period_and_the_list_is_paginated_newest_first(world, as_admin):
    p = world
    page = as_admin.get(url(p), {"scope_type": "team", "scope_id": p.support.pk, "page_size": 2}).json()
    assert page["count"] == 5 and len(page["results"]) == 2 and page["next"]
    first = page["results"][0]
    assert first["period"] == {"start": "2026-11-23", "end": "2026-11-29", "label": "2026-W48"}
    assert first["scope_type"] == "team" and first["scope_id"] == p.support.pk
    november = as_admin.get(url(p, f"{p.support_nov.pk}/explanation/")).json()
    assert november["period"] == {"start": "2026-11-01", "end": "2026-11-30", "label": "2026-11"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"scope_type": "planet", "scope_id": 1}, "scope_type"),
        ({"scope_type": "team"}, "scope_id"),
        ({"scope_id": 3}, "scope_type"),
        ({"scope_type": "team", "scope_id": "abc"}, "scope_id"),
        ({"scope_type": "team", "scope_id": 10**30}, "scope_id"),
        ({"metric": "happiness"}, "metric"),
        ({"granularity": "decade"}, "granularity"),
        ({"from": "yesterday"}, "from"),
        ({"from": "2026-11-01", "to": "2026-10-01"}, "to"),
    ],
)
def test_bad_filters_answer_400_naming_the_field(world, as_admin, query, field):
    response = as_admin.get(url(world), query)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"], response.content
    if field not in ("metric", "from", "to"):  # current/ takes a scope and a granularity
        current = as_admin.get(url(world, "current/"), query)
        assert current.status_code == 400, (query, current.content)
        assert field in current.json()["error"]["fields"], current.content


def test_another_organisations_scope_or_one_the_person_may_not_read_is_not_found(world, api_client_for):
    p = world
    globex_team_scope = {"scope_type": "org", "scope_id": p.other_org.pk}
    for persona in (p.admin, p.manager, p.member):
        client = api_client_for(persona)
        assert client.get(url(p), globex_team_scope).status_code == 404
        assert client.get(url(p, "current/"), globex_team_scope).status_code == 404
        assert client.get(url(p, f"{p.globex_org.pk}/explanation/")).status_code == 404
        assert client.get(url(p), {"scope_type": "team", "scope_id": 987654}).status_code == 404
    member, manager = api_client_for(p.member), api_client_for(p.manager)
    assert member.get(url(p), {"scope_type": "team", "scope_id": p.sales.pk}).status_code == 404
    assert member.get(url(p), {"scope_type": "function", "scope_id": p.service.pk}).status_code == 404
    assert member.get(url(p), {"scope_type": "account", "scope_id": p.skis.pk}).status_code == 404
    assert member.get(url(p, f"{p.support_enps_nov.pk}/explanation/")).status_code == 404
    assert manager.get(url(p), {"scope_type": "team", "scope_id": p.sales.pk}).status_code == 404
    assert manager.get(url(p, f"{p.sales_nov.pk}/explanation/")).status_code == 404
    assert ids(manager.get(url(p), {"scope_type": "function", "scope_id": p.service.pk})) == {p.service_nov.pk}
    # The outsider (Globex's admin) is no member of Acme: Acme's slug is not found.
    assert api_client_for(p.outsider).get(url(p)).status_code == 404


def test_current_scores_give_the_latest_period_and_the_change_since_the_one_before(world, api_client_for):
    p = world
    data = api_client_for(p.manager).get(url(p, "current/"), {"scope_type": "team", "scope_id": p.support.pk}).json()
    assert (data["scope_type"], data["scope_id"], data["granularity"]) == ("team", p.support.pk, "month")
    by_metric = {row["metric"]: row for row in data["scores"]}
    assert list(by_metric) == ["engagement", "enps"]  # the metrics' order
    engagement = by_metric["engagement"]
    assert engagement["score"]["id"] == p.support_nov.pk and engagement["previous"]["id"] == p.support_oct.pk
    assert engagement["change"] == pytest.approx(12.5)
    enps = by_metric["enps"]  # November suppressed: no change, and no value
    assert enps["score"]["id"] == p.support_enps_nov.pk and enps["score"]["value"] is None
    assert enps["change"] is None
    # The member does not get the suppressed November: eNPS is October's, with nothing before.
    mine = api_client_for(p.member).get(url(p, "current/"), {"scope_type": "team", "scope_id": p.support.pk})
    enps = {row["metric"]: row for row in mine.json()["scores"]}["enps"]
    assert enps["score"]["id"] == p.support_enps_oct.pk and enps["previous"] is None and enps["change"] is None


def test_current_scores_default_to_the_organisation_and_a_missing_previous_gives_no_change(world, as_member):
    p = world
    data = as_member.get(url(p, "current/")).json()
    assert (data["scope_type"], data["scope_id"]) == ("org", p.org.pk)
    assert [(row["metric"], row["score"]["id"], row["change"]) for row in data["scores"]] == [
        ("engagement", p.org_nov.pk, None)
    ]
    assert as_member.get(url(p, "current/"), {"granularity": "quarter"}).json()["scores"] == []


def test_the_explanation_gives_the_formula_components_sample_and_period(world, as_member):
    p = world
    data = as_member.get(url(p, f"{p.support_nov.pk}/explanation/")).json()
    assert data["metric"] == "engagement" and data["value"] == 62.5 and data["sample_size"] == 12
    assert data["components"] == {"favourable": 6, "answers": 10}
    assert "4 or 5" in data["formula"] and data["scale"] == "0 to 100"
    nps = as_member.get(url(p, f"{p.northwind_nps.pk}/explanation/")).json()
    assert "promoters" in nps["formula"] and nps["scale"] == "-100 to 100"


def _queries(client, path, query=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, query or {}).status_code == 200
    return len(captured)


def _counts(p, clients) -> dict:
    team = {"scope_type": "team", "scope_id": p.support.pk}
    return {
        name: (
            _queries(client, url(p), team),
            _queries(client, url(p), {}),
            _queries(client, url(p, "current/"), team),
            _queries(client, url(p, f"{p.support_nov.pk}/explanation/")),
        )
        for name, client in clients.items()
    }


def test_query_counts_are_bounded_and_do_not_grow_with_the_history(world, api_client_for):
    p = world
    clients = {name: api_client_for(getattr(p, name)) for name in ("admin", "manager", "member")}
    before = _counts(p, clients)
    for name, counts in before.items():
        assert max(counts) <= 6, (name, counts)
    # Two years more history of five metrics, for the team and for the organisation.
    start = Period(MONTH, dt.date(2024, 9, 1))
    for _ in range(24):
        for metric in ("engagement", "nps", "csat", "collaboration", "response_rate"):
            snap(p.org, "team", p.support.pk, metric, start.start, 50.0)
            snap(p.org, "org", p.org.pk, metric, start.start, 50.0)
        start = Period(MONTH, start.end)
    assert _counts(p, clients) == before


def test_the_api_serves_what_the_engine_computed_suppressed_as_it_stored_it(answered_round, staffed, api_client_for):
    p = staffed
    engine.recompute(p.org, [Period(MONTH, NOVEMBER)])
    team = {"granularity": "month", "from": "2026-11-01", "to": "2026-11-01", "metric": "engagement"}
    manager = api_client_for(p.manager)
    current = manager.get(url(p, "current/"), {"scope_type": "team", "scope_id": p.support.pk}).json()
    engagement = {row["metric"]: row for row in current["scores"]}["engagement"]
    assert (engagement["score"]["value"], engagement["score"]["sample_size"]) == (100.0, 7)
    # Sales (6 answered) is suppressed by the complement rule (Tiny has 2): null for the
    # admin, absent for its own member.
    admin = api_client_for(p.admin)
    sales = admin.get(url(p), {**team, "scope_type": "team", "scope_id": p.sales.pk}).json()["results"]
    assert [(row["value"], row["suppressed"], row["sample_size"]) for row in sales] == [(None, True, None)]
    eve = api_client_for(p.eve)
    assert eve.get(url(p), {**team, "scope_type": "team", "scope_id": p.sales.pk}).json()["results"] == []
    explained = admin.get(url(p, f"{ScoreSnapshot.objects.get(pk=sales[0]['id']).pk}/explanation/")).json()
    assert explained["components"] == {"suppressed": REASON}
