"""Accounts at risk and account health: each risk reason, who sees which accounts, the
sort allow-list, and what the health view joins (dashboards.selectors.accounts).

``make_scene`` builds the accounts the view and API tests use too: on a fixed day in
the second quarter of 2026, ``risky`` (the manager's team; the member is on it) shows
all four reasons, ``healthy`` (same team) none, ``elsewhere`` (a team nobody here is
on) one, and Globex has a risky account of its own.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
import time_machine
from django.utils import timezone

from customers.models import CustomerAccount
from customers.tests.factories import ContactFactory, CustomerAccountFactory, FollowUpFactory
from dashboards.selectors import accounts as selectors
from surveys.models import NpsFeedback, ScoreSnapshot
from surveys.models.scores import Granularity, Metric, ScopeType
from teams.models import Team
from teams.tests.factories import TeamFactory, TeamMembershipFactory
from work.tests.factories import HandoffFactory, WinFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 15, 12, 0, tzinfo=dt.UTC)
THIS_QUARTER, LAST_QUARTER = dt.date(2026, 4, 1), dt.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class Scene:
    team: Team
    other_team: Team
    risky: CustomerAccount
    healthy: CustomerAccount
    elsewhere: CustomerAccount
    globex: CustomerAccount


def feedback(account, score, *, days_ago=10, comment="", kind="nps"):
    return NpsFeedback.objects.create(
        organization=account.organization,
        account=account,
        team=account.owning_team,
        kind=kind,
        score=score,
        comment=comment,
        channel=NpsFeedback.Channel.API,
        received_at=timezone.now() - dt.timedelta(days=days_ago),
    )


def nps_snapshot(account, start, value, *, suppressed=False, scope_type=ScopeType.ACCOUNT, scope_id=None, **kw):
    return ScoreSnapshot.objects.create(
        organization=account.organization,
        scope_type=scope_type,
        scope_id=scope_id or account.pk,
        metric=kw.pop("metric", Metric.NPS),
        granularity=kw.pop("granularity", Granularity.QUARTER),
        period_start=start,
        value=None if suppressed else value,
        sample_size=None if suppressed else 10,
        suppressed=suppressed,
        components={"suppressed": "fewer than 5 respondents"} if suppressed else {"promoters": 5},
        computed_at=timezone.now(),
    )


def contact(account, *, reviewed_days_ago):
    made = ContactFactory(account=account)
    reviewed = timezone.now() - dt.timedelta(days=reviewed_days_ago)
    type(made).objects.filter(pk=made.pk).update(notes_reviewed_at=reviewed, created_at=reviewed)
    return made


def follow_up(account, *, due_in_days, **kw):
    return FollowUpFactory(
        account=account, due_date=timezone.localdate() + dt.timedelta(days=due_in_days), created_by=None, **kw
    )


def risky_account(org, team, name):
    account = CustomerAccountFactory(organization=org, owning_team=team, name=name)
    feedback(account, 3, comment="Deliveries keep arriving late.")
    follow_up(account, due_in_days=-2)
    nps_snapshot(account, LAST_QUARTER, 50)
    nps_snapshot(account, THIS_QUARTER, 10)
    contact(account, reviewed_days_ago=400)
    return account


def make_scene(personas) -> Scene:
    org = personas.org
    team = TeamFactory(organization=org, name="Trail team", managers=[personas.manager])
    TeamMembershipFactory(team=team, membership=personas.member)
    other_team = TeamFactory(organization=org, name="Ski team")
    risky = risky_account(org, team, "Alpine Risky")
    healthy = CustomerAccountFactory(organization=org, owning_team=team, name="Birch Healthy")
    feedback(healthy, 10, comment="Lovely.")
    feedback(healthy, 2, days_ago=120)  # a detractor, but long ago
    follow_up(healthy, due_in_days=3)
    follow_up(healthy, due_in_days=-30, status="done")  # closed: never overdue
    nps_snapshot(healthy, LAST_QUARTER, 10)
    nps_snapshot(healthy, THIS_QUARTER, 40)
    contact(healthy, reviewed_days_ago=30)
    contact(healthy, reviewed_days_ago=500)  # one recent review is enough
    elsewhere = CustomerAccountFactory(organization=org, owning_team=other_team, name="Cedar Elsewhere")
    contact(elsewhere, reviewed_days_ago=10)
    feedback(elsewhere, 1)
    globex_team = TeamFactory(organization=personas.other_org, name="Globex team")
    globex = risky_account(personas.other_org, globex_team, "Globex Risky")
    return Scene(team, other_team, risky, healthy, elsewhere, globex)


@pytest.fixture
def scene(personas):
    return make_scene(personas)


def names(accounts):
    return [account.name for account in accounts]


def test_every_reason_is_flagged_on_the_risky_account(personas, scene):
    (risky,) = selectors.at_risk_accounts(membership=personas.manager)
    assert risky.pk == scene.risky.pk
    assert (risky.detractor, risky.overdue, risky.falling_nps, risky.stale_contacts) == (1, 1, 1, 1)
    assert risky.risk_count == 4
    assert (risky.nps_before, risky.nps_now, risky.overdue_follow_ups, risky.open_follow_ups) == (50, 10, 1, 1)
    assert selectors.risk_reasons(risky) == list(selectors.RISKS.values())


def test_an_account_without_reasons_is_not_listed(personas, scene):
    healthy = selectors.with_risks(CustomerAccount.objects.filter(pk=scene.healthy.pk), membership=personas.admin)
    assert healthy.get().risk_count == 0
    assert scene.healthy.name not in names(selectors.at_risk_accounts(membership=personas.admin))


def test_members_and_managers_see_only_their_teams_accounts_and_admins_all(personas, scene):
    assert names(selectors.at_risk_accounts(membership=personas.member)) == ["Alpine Risky"]
    assert names(selectors.at_risk_accounts(membership=personas.manager)) == ["Alpine Risky"]
    assert names(selectors.at_risk_accounts(membership=personas.admin)) == ["Alpine Risky", "Cedar Elsewhere"]
    assert names(selectors.at_risk_accounts(membership=personas.outsider)) == ["Globex Risky"]


def test_team_filter_narrows_the_list(personas, scene):
    assert names(selectors.at_risk_accounts(membership=personas.admin, team=scene.other_team)) == ["Cedar Elsewhere"]


def test_a_detractor_counts_for_ninety_days(personas, scene):
    NpsFeedback.objects.filter(account=scene.elsewhere).update(received_at=NOW - dt.timedelta(days=91))
    assert names(selectors.at_risk_accounts(membership=personas.admin)) == ["Alpine Risky"]


def test_a_csat_detractor_counts_too(personas, scene):
    feedback(scene.healthy, 1, kind="csat")
    (healthy,) = selectors.at_risk_accounts(membership=personas.admin, team=scene.team, sort="name")[1:]
    assert healthy.name == "Birch Healthy" and healthy.detractor == 1


def test_falling_nps_ignores_a_suppressed_or_missing_quarter(personas, scene):
    ScoreSnapshot.objects.filter(scope_id=scene.risky.pk, period_start=THIS_QUARTER).update(
        value=None, sample_size=None, suppressed=True, components={"suppressed": "fewer than 5 respondents"}
    )
    (risky,) = selectors.at_risk_accounts(membership=personas.admin, team=scene.team)
    assert (risky.falling_nps, risky.nps_now) == (0, None)
    ScoreSnapshot.objects.filter(scope_id=scene.risky.pk).delete()
    (risky,) = selectors.at_risk_accounts(membership=personas.admin, team=scene.team)
    assert risky.falling_nps == 0 and risky.risk_count == 3


def test_falling_nps_reads_quarterly_account_snapshots_only(personas, scene):
    # A falling team score or monthly account score is not the account's quarter.
    nps_snapshot(scene.healthy, dt.date(2026, 4, 1), -90, granularity=Granularity.MONTH)
    nps_snapshot(scene.healthy, THIS_QUARTER, -90, scope_type=ScopeType.TEAM, scope_id=scene.team.pk)
    assert "Birch Healthy" not in names(selectors.at_risk_accounts(membership=personas.admin))


def test_an_account_without_contacts_needs_a_review(personas, scene):
    scene.elsewhere.contacts.all().delete()
    (elsewhere,) = selectors.at_risk_accounts(membership=personas.admin, team=scene.other_team)
    assert (elsewhere.stale_contacts, elsewhere.last_contact_review) == (1, None)


def test_sort_allow_list_orders_and_an_unknown_sort_falls_back(personas, scene):
    risky_b = risky_account(personas.org, scene.team, "Zulu Risky")
    follow_up(risky_b, due_in_days=-1)
    by_overdue = selectors.at_risk_accounts(membership=personas.admin, sort="overdue")
    assert names(by_overdue)[0] == "Zulu Risky"
    assert names(selectors.at_risk_accounts(membership=personas.admin, sort="name")) == [
        "Alpine Risky",
        "Cedar Elsewhere",
        "Zulu Risky",
    ]
    assert names(selectors.at_risk_accounts(membership=personas.admin, sort="name; drop table")) == [
        "Alpine Risky",
        "Zulu Risky",
        "Cedar Elsewhere",
    ]


def test_health_joins_what_the_page_shows(personas, scene):
    WinFactory(organization=personas.org, team=scene.team, account=scene.risky, author=personas.member)
    HandoffFactory(organization=personas.org, account=scene.risky, sender=personas.member, to_member=personas.manager)
    nps_snapshot(
        scene.risky,
        dt.date(2026, 5, 1),
        70,
        scope_type=ScopeType.TEAM,
        scope_id=scene.team.pk,
        metric=Metric.ENGAGEMENT,
        granularity=Granularity.MONTH,
    )
    health = selectors.account_health(membership=personas.member, account=scene.risky)
    assert health["reasons"] == list(selectors.RISKS.values())
    assert [f.comment for f in health["comments"]] == ["Deliveries keep arriving late."]
    assert [f.is_overdue for f in health["follow_ups"]] == [1]
    assert health["handoff_counts"] == {"total": 1, "active": 1} and len(health["handoffs"]) == 1
    assert health["win_count"] == 1
    assert health["account_scores"]["nps"].snapshot.value == 10
    assert health["account_scores"]["nps"].change == -40
    assert health["team_scores"]["engagement"].snapshot.value == 70
    assert health["trend"]["has_data"]


def test_health_hides_a_suppressed_team_score_from_members_and_shows_it_suppressed_to_managers(personas, scene):
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
    member = selectors.account_health(membership=personas.member, account=scene.risky)
    manager = selectors.account_health(membership=personas.manager, account=scene.risky)
    assert "engagement" not in member["team_scores"]
    engagement = manager["team_scores"]["engagement"]
    assert engagement.suppressed and engagement.explained["components"] == [] and engagement.change is None
