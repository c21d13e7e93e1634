"""The account health and accounts-at-risk endpoints: the pages' content and rules, as
JSON, in a number of queries that does not grow with the data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.tests.test_accounts_selectors import (  # noqa: F401 (frozen: the fixed day, autouse)
    feedback,
    follow_up,
    frozen,
    make_scene,
    nps_snapshot,
    risky_account,
)
from surveys.models.scores import Granularity, Metric, ScopeType
from work.tests.factories import HandoffFactory, WinFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(personas):
    return make_scene(personas)


def health(org, account):
    return f"/api/v1/orgs/{org.slug}/accounts/{account.pk}/health/"


def at_risk(org):
    return f"/api/v1/orgs/{org.slug}/accounts-at-risk/"


def count_queries(client, url) -> tuple[int, str]:
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured), "\n".join(q["sql"] for q in captured.captured_queries)


def test_health_returns_reasons_trend_comments_and_scores(personas, scene, as_member):
    response = as_member.get(health(personas.org, scene.risky))
    assert response.status_code == 200
    data = response.json()
    assert data["account"]["name"] == "Alpine Risky"
    assert data["risks"]["count"] == 4
    assert data["risks"]["reasons"] == ["detractor", "overdue", "falling_nps", "stale_contacts"]
    assert (data["risks"]["nps_last_quarter"], data["risks"]["nps_this_quarter"]) == (50, 10)
    assert [c["comment"] for c in data["comments"]] == ["Deliveries keep arriving late."]
    assert data["comments"][0]["group"] == "detractor"
    assert len(data["nps_trend"]) == 12
    assert data["account_scores"]["nps"]["value"] == 10 and data["account_scores"]["nps"]["change"] == -40
    assert data["follow_ups"][0]["overdue"] is True
    assert data["handoffs"] == {"total": 0, "active": 0, "latest": []}
    assert data["wins"] == {"total": 0, "latest": []}


def test_health_of_another_teams_account_is_403_and_of_another_org_404(personas, scene, as_member, as_admin):
    assert as_member.get(health(personas.org, scene.elsewhere)).status_code == 403
    assert as_admin.get(health(personas.org, scene.elsewhere)).status_code == 200
    assert as_admin.get(health(personas.org, scene.globex)).status_code == 404
    assert as_admin.get(health(personas.other_org, scene.risky)).status_code == 404


def test_health_shows_a_suppressed_team_score_without_its_value(personas, scene, as_manager, as_member):
    nps_snapshot(
        scene.risky,
        dt.date(2026, 5, 1),
        None,
        suppressed=True,
        scope_type=ScopeType.TEAM,
        scope_id=scene.team.pk,
        metric=Metric.ENGAGEMENT,
        granularity=Granularity.MONTH,
    )
    engagement = as_manager.get(health(personas.org, scene.risky)).json()["team_scores"]["engagement"]
    assert engagement["suppressed"] is True
    assert engagement["value"] is None and engagement["sample_size"] is None
    assert set(engagement["components"]) == {"suppressed"}
    assert as_member.get(health(personas.org, scene.risky)).json()["team_scores"]["engagement"] is None


def test_at_risk_lists_the_callers_accounts_paginated(personas, scene, as_member, as_admin):
    data = as_member.get(at_risk(personas.org)).json()
    assert data["count"] == 1 and data["results"][0]["name"] == "Alpine Risky"
    assert data["results"][0]["risks"]["falling_nps"] is True
    names = [row["name"] for row in as_admin.get(at_risk(personas.org), {"sort": "name"}).json()["results"]]
    assert names == ["Alpine Risky", "Cedar Elsewhere"]
    page = as_admin.get(at_risk(personas.org), {"page_size": 1}).json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]


def test_at_risk_filters_by_team_and_refuses_a_bad_team_or_sort(personas, scene, as_member, as_admin):
    names = [
        row["name"] for row in as_admin.get(at_risk(personas.org), {"team": scene.other_team.pk}).json()["results"]
    ]
    assert names == ["Cedar Elsewhere"]
    refused = as_member.get(at_risk(personas.org), {"team": scene.other_team.pk})
    assert refused.status_code == 400 and "team" in refused.json()["error"]["fields"]
    bad_sort = as_admin.get(at_risk(personas.org), {"sort": "password"})
    assert bad_sort.status_code == 400 and "sort" in bad_sort.json()["error"]["fields"]


def test_at_risk_endpoint_queries_do_not_grow_with_accounts(personas, scene, as_admin):
    one = count_queries(as_admin, at_risk(personas.org))
    for n in range(49):
        risky_account(personas.org, scene.team, f"Risky {n:02d}")
    many = count_queries(as_admin, at_risk(personas.org))
    assert one[0] == many[0], f"{one[0]} queries with one account, {many[0]} with fifty:\n{many[1]}"


def test_health_endpoint_queries_do_not_grow_with_feedback_handoffs_and_wins(personas, scene, as_manager):
    account = scene.risky

    def add(count):
        for n in range(count):
            feedback(account, n % 11, comment=f"Comment {n}", days_ago=n % 300)
            follow_up(account, due_in_days=n - 25)
            HandoffFactory(
                organization=personas.org, account=account, sender=personas.member, to_member=personas.manager
            )
            WinFactory(organization=personas.org, team=scene.team, account=account, author=personas.member)

    add(1)
    one = count_queries(as_manager, health(personas.org, account))
    add(49)
    many = count_queries(as_manager, health(personas.org, account))
    assert one[0] == many[0], f"{one[0]} queries with one of each, {many[0]} with fifty:\n{many[1]}"
