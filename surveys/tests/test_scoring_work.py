"""Daily work's figures (surveys.scoring.work) against values worked out by hand.

Acme counts time in Tokyo here (UTC+9, no summer time), so a handoff sent at 05:00 on
1 November, Tokyo time, is November's although it is still 31 October in UTC.

Handoffs (SLA 24 h unless said; "→" sending team to receiving team):

    H1 Sales → Support    3 Nov 09:00  accepted after exactly 24 h  completed
    H2 Sales → Support    3 Nov 10:00  accepted after 24 h 1 s      returned
    H3 Support → Support 10 Nov 09:00  accepted after 3 h           accepted (in progress)
    H4 Sales → Support   10 Nov 11:00  never accepted               open
    H5 Sales → Support   17 Nov 09:00  SLA 4 h, accepted after 5 h  cancelled by the sender
    H6 Support → Sales    3 Nov 20:00  accepted after 12 h          completed
    H7 Support → Sales    1 Nov 05:00  never accepted               declined
    H8 no team → no team  5 Nov 09:00  accepted after 1 h           completed
    H9 Sales → Sales     20 Oct 09:00  accepted after 2 h           completed

Wins: W1 Support, 4 Nov, with Eve (Sales); W2 Support, 12 Nov, with Dan (Support);
W3 Sales, 18 Nov, alone; W4 Sales, 19 Nov, with Alice (on no team). Tiny has nothing.

Follow-ups (first response / resolution, hours); account B belonged to Support until
mid-November and to Sales since, so its follow-ups count for the team that had it:

    F1 A Support  2 Nov  1.5  / 10       F5 B Sales   20 Nov  5 / 50
    F2 A Support  3 Nov  2.25 / 20       F6 B Sales   21 Nov  —  / —
    F3 A Support  9 Nov  4    / —        F7 C Sales   22 Nov  8 / 9
    F4 B Support 10 Nov  3    / 30
"""

import datetime as dt
import math
import os
import statistics
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from customers.tests.factories import CustomerAccountFactory, FollowUpFactory, OwnershipChangeFactory
from surveys.models.scores import Metric, ScoreSnapshot
from surveys.scoring import engine, work
from surveys.scoring.periods import MONTH, QUARTER, WEEK, Period
from teamhub.lib.testing import in_ci
from teams.tests.factories import TeamFactory, TeamMembershipFactory
from work.models import Handoff
from work.tests.factories import HandoffFactory, WinFactory

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
S = Handoff.Status
H = dt.timedelta(hours=1)
NOV, OCT, Q4 = (
    Period(MONTH, dt.date(2026, 11, 1)),
    Period(MONTH, dt.date(2026, 10, 1)),
    Period(QUARTER, dt.date(2026, 10, 1)),
)
WEEK_NOV_2, WEEK_OCT_26 = Period(WEEK, dt.date(2026, 11, 2)), Period(WEEK, dt.date(2026, 10, 26))


def tokyo(month, day, hour, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TOKYO)


def handoff(org, sender_team, receiving_team, sent, *, after=None, status=S.OPEN, sla=24):
    return HandoffFactory(
        organization=org,
        sender_team=sender_team,
        receiving_team=receiving_team,
        created_at=sent,
        accepted_at=sent + after if after is not None else None,
        status=status,
        sla_hours=sla,
    )


def follow_up(account, team, created, response=None, resolution=None):
    return FollowUpFactory(
        account=account,
        team=team,
        created_at=created,
        first_response_at=created + response * H if response is not None else None,
        resolved_at=created + resolution * H if resolution is not None else None,
    )


@pytest.fixture
def day(acme):
    """The dataset of the module docstring."""
    p = acme
    p.org.timezone = "Asia/Tokyo"
    p.org.save(update_fields=["timezone"])
    org, support, sales = p.org, p.support, p.sales
    p.tiny = TeamFactory(organization=org, name="Tiny")
    TeamMembershipFactory(team=p.tiny, membership__organization=org)
    handoff(org, sales, support, tokyo(11, 3, 9), after=24 * H, status=S.COMPLETED)
    handoff(org, sales, support, tokyo(11, 3, 10), after=24 * H + dt.timedelta(seconds=1), status=S.RETURNED)
    handoff(org, support, support, tokyo(11, 10, 9), after=3 * H, status=S.ACCEPTED)
    handoff(org, sales, support, tokyo(11, 10, 11))
    handoff(org, sales, support, tokyo(11, 17, 9), after=5 * H, status=S.CANCELLED, sla=4)
    handoff(org, support, sales, tokyo(11, 3, 20), after=12 * H, status=S.COMPLETED)
    handoff(org, support, sales, tokyo(11, 1, 5), status=S.DECLINED)
    handoff(org, None, None, tokyo(11, 5, 9), after=1 * H, status=S.COMPLETED)
    handoff(org, sales, sales, tokyo(10, 20, 9), after=2 * H, status=S.COMPLETED)
    WinFactory(organization=org, author=p.member, team=support, created_at=tokyo(11, 4, 9), collaborators=[p.eve])
    WinFactory(organization=org, author=p.member, team=support, created_at=tokyo(11, 12, 9), collaborators=[p.dan])
    WinFactory(organization=org, author=p.eve, team=sales, created_at=tokyo(11, 18, 9))
    WinFactory(organization=org, author=p.eve, team=sales, created_at=tokyo(11, 19, 9), collaborators=[p.admin])
    p.a = CustomerAccountFactory(organization=org, name="A", owning_team=support)
    p.b = CustomerAccountFactory(organization=org, name="B", owning_team=sales)
    p.c = CustomerAccountFactory(organization=org, name="C", owning_team=sales)
    OwnershipChangeFactory(account=p.b, from_team=support, to_team=sales, reason="Moved to Sales mid-November")
    follow_up(p.a, support, tokyo(11, 2, 9), 1.5, 10)
    follow_up(p.a, support, tokyo(11, 3, 9), 2.25, 20)
    follow_up(p.a, support, tokyo(11, 9, 9), 4)
    follow_up(p.b, support, tokyo(11, 10, 9), 3, 30)
    follow_up(p.b, sales, tokyo(11, 20, 9), 5, 50)
    follow_up(p.b, sales, tokyo(11, 21, 9))
    follow_up(p.c, sales, tokyo(11, 22, 9), 8, 9)
    return p


def _scope(day, name):
    return {
        "org": ("org", day.org.pk),
        "support": ("team", day.support.pk),
        "sales": ("team", day.sales.pk),
        "A": ("account", day.a.pk),
        "B": ("account", day.b.pk),
        "C": ("account", day.c.pk),
    }[name]


def _figures(day, period):
    found = work.figures(day.org, period.granularity, period.start, period.end)
    return {(f.scope_type, f.scope_id, f.metric): f for f in found if f.period_start == period.start}


SLA_CASES = [
    # period, scope, value, sample size, (received, within SLA, not within)
    (NOV, "support", 100 * 2 / 5, 5, (5, 2, 3)),
    (NOV, "sales", 100 * 1 / 2, 2, (2, 1, 1)),
    (NOV, "org", 100 * 4 / 8, 8, (8, 4, 4)),
    (OCT, "sales", 100.0, 1, (1, 1, 0)),
    (OCT, "org", 100.0, 1, (1, 1, 0)),
    (Q4, "sales", 100 * 2 / 3, 3, (3, 2, 1)),
    (Q4, "support", 100 * 2 / 5, 5, (5, 2, 3)),
    (Q4, "org", 100 * 5 / 9, 9, (9, 5, 4)),
    (WEEK_NOV_2, "support", 50.0, 2, (2, 1, 1)),
    (WEEK_NOV_2, "sales", 100.0, 1, (1, 1, 0)),
    (WEEK_NOV_2, "org", 100 * 3 / 4, 4, (4, 3, 1)),
    (WEEK_OCT_26, "sales", 0.0, 1, (1, 0, 1)),
]


@pytest.mark.parametrize(("period", "scope", "value", "sample", "counts"), SLA_CASES)
def test_handoff_sla_attainment_and_responsiveness(day, period, scope, value, sample, counts):
    figures = _figures(day, period)
    components = dict(zip(("received", "within_sla", "not_within_sla"), counts, strict=True))
    for metric in (Metric.HANDOFF_SLA, work.RESPONSIVENESS):
        figure = figures[(*_scope(day, scope), metric)]
        assert figure.value == pytest.approx(value)
        assert (figure.sample_size, figure.components, figure.survey_based) == (sample, components, False)


FOLLOW_THROUGH_CASES = [
    # period, scope, value, (accepted, completed, returned, in progress, cancelled)
    (NOV, "support", 50.0, (4, 1, 1, 1, 1)),
    (NOV, "sales", 100.0, (1, 1, 0, 0, 0)),
    (NOV, "org", 75.0, (6, 3, 1, 1, 1)),
    (Q4, "sales", 100.0, (2, 2, 0, 0, 0)),
    (WEEK_NOV_2, "support", 50.0, (2, 1, 1, 0, 0)),
]


@pytest.mark.parametrize(("period", "scope", "value", "counts"), FOLLOW_THROUGH_CASES)
def test_follow_through_counts_completed_against_returned(day, period, scope, value, counts):
    figure = _figures(day, period)[(*_scope(day, scope), work.FOLLOW_THROUGH)]
    names = ("accepted", "completed", "returned", "in_progress", "cancelled")
    assert figure.value == pytest.approx(value)
    assert figure.components == dict(zip(names, counts, strict=True))
    assert figure.sample_size == counts[1] + counts[2]


BREADTH_CASES = [
    # period, scope, (wins, crossing wins, handoffs, crossing handoffs)
    (NOV, "support", (2, 1, 7, 6)),  # H1 to H7 sent or received; H3 stays inside; W1 crosses
    (NOV, "sales", (2, 1, 6, 6)),  # H1, H2, H4 to H7; W4 with Alice (on no team) crosses
    (NOV, "org", (4, 2, 8, 6)),  # each handoff once; H3 and H8 do not cross
    (Q4, "sales", (2, 1, 7, 6)),  # H9 stays inside Sales
    (WEEK_NOV_2, "support", (1, 1, 3, 3)),  # H1, H2, H6 and W1
]


@pytest.mark.parametrize(("period", "scope", "counts"), BREADTH_CASES)
def test_breadth_counts_wins_and_handoffs_that_cross_team_lines(day, period, scope, counts):
    figure = _figures(day, period)[(*_scope(day, scope), work.BREADTH)]
    wins, wins_crossing, handoffs, handoffs_crossing = counts
    crossing, items = wins_crossing + handoffs_crossing, wins + handoffs
    assert figure.value == pytest.approx(100 * crossing / items)
    assert figure.sample_size == items
    assert figure.components == {
        "crossing": crossing,
        "wins": wins,
        "wins_crossing": wins_crossing,
        "handoffs": handoffs,
        "handoffs_crossing": handoffs_crossing,
    }


TURNAROUND_CASES = [
    # period, scope, (received, responded, resolved), response median, p90, resolution median, p90
    (NOV, "support", (4, 4, 3), (2.25 + 3) / 2, 4, 20, 30),  # F4 counts here: B was Support's then
    (NOV, "sales", (3, 2, 2), (5 + 8) / 2, 8, (9 + 50) / 2, 50),  # F5 to F7, not F4
    (NOV, "A", (3, 3, 2), 2.25, 4, (10 + 20) / 2, 20),
    (NOV, "B", (3, 2, 2), (3 + 5) / 2, 5, (30 + 50) / 2, 50),
    (NOV, "C", (1, 1, 1), 8, 8, 9, 9),
    (NOV, "org", (7, 6, 5), (3 + 4) / 2, 8, 20, 50),
    (Q4, "org", (7, 6, 5), (3 + 4) / 2, 8, 20, 50),
    (WEEK_NOV_2, "support", (2, 2, 2), (1.5 + 2.25) / 2, 2.25, (10 + 20) / 2, 20),
    (WEEK_NOV_2, "A", (2, 2, 2), (1.5 + 2.25) / 2, 2.25, (10 + 20) / 2, 20),
]


@pytest.mark.parametrize(("period", "scope", "counts", "rm", "rp", "sm", "sp"), TURNAROUND_CASES)
def test_follow_up_turnaround_per_team_account_and_organisation(day, period, scope, counts, rm, rp, sm, sp):
    figures = _figures(day, period)
    components = dict(zip(("received", "responded", "resolved"), counts, strict=True))
    expected = {
        Metric.FIRST_RESPONSE_MEDIAN: (rm, counts[1], "median"),
        Metric.FIRST_RESPONSE_P90: (rp, counts[1], "p90"),
        Metric.RESOLUTION_MEDIAN: (sm, counts[2], "median"),
        Metric.RESOLUTION_P90: (sp, counts[2], "p90"),
    }
    for metric, (value, sample, statistic) in expected.items():
        figure = figures[(*_scope(day, scope), metric)]
        assert figure.value == pytest.approx(value), metric
        assert figure.sample_size == sample, metric
        assert figure.components == {**components, "statistic": statistic, "unit": "hours"}


def test_a_team_with_nothing_has_no_figure_and_weeks_without_data_none(day):
    for period in (NOV, Q4, WEEK_NOV_2):
        assert not [key for key in _figures(day, period) if key[:2] == ("team", day.tiny.pk)]
    # Support received nothing in the week of 26 October: no SLA figure, not a zero.
    assert ("team", day.support.pk, Metric.HANDOFF_SLA) not in _figures(day, WEEK_OCT_26)


@pytest.mark.parametrize(
    ("after", "sla", "within"),
    [
        (24 * H, 24, True),  # exactly at the SLA: within it (the work app's rule)
        (24 * H + dt.timedelta(seconds=1), 24, False),
        (4 * H, 4, True),  # each handoff's own SLA, kept from when it was sent
        (4 * H + dt.timedelta(seconds=1), 4, False),
        (None, 24, False),  # never accepted
    ],
)
def test_a_handoff_accepted_exactly_at_its_sla_is_within_it(acme, after, sla, within):
    handoff(acme.org, acme.sales, acme.support, dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC), after=after, sla=sla)

    figure = _figures(acme, NOV)[("team", acme.support.pk, Metric.HANDOFF_SLA)]

    assert figure.value == (100.0 if within else 0.0)


def test_the_engine_stores_sla_and_turnaround_and_combines_collaboration(day):
    engine.recompute(day.org, [NOV])

    def stored(scope, metric):
        return ScoreSnapshot.objects.get(
            organization=day.org,
            scope_type=scope[0],
            scope_id=scope[1],
            metric=metric,
            granularity=MONTH,
            period_start=NOV.start,
        )

    support = ("team", day.support.pk)
    sla = stored(support, Metric.HANDOFF_SLA)
    assert (sla.value, sla.sample_size, sla.suppressed) == (40.0, 5, False)
    assert stored(("account", day.b.pk), Metric.RESOLUTION_P90).value == pytest.approx(50)
    # No survey: responsiveness 40, follow-through 50, breadth 7/9, weights renormalised.
    collaboration = stored(support, Metric.COLLABORATION)
    assert collaboration.value == pytest.approx((0.3 * 40 + 0.15 * 50 + 0.15 * 100 * 7 / 9) / 0.6)
    assert collaboration.components["missing"] == ["survey"]
    assert collaboration.components["responsiveness"]["received"] == 5
    # Components are combined, never stored alone; neither is Tiny, nor the no-team group.
    assert not ScoreSnapshot.objects.filter(metric__startswith="component.").exists()
    assert not ScoreSnapshot.objects.filter(scope_type="team", scope_id=day.tiny.pk).exists()
    assert engine.first_day_of_data(day.org) == dt.date(2026, 10, 20)


@pytest.mark.parametrize("granularity", [WEEK, MONTH, QUARTER])
def test_one_query_per_source_table_and_granularity(day, granularity, django_assert_num_queries):
    with django_assert_num_queries(3):  # handoffs, wins, follow-ups
        found = work.figures(day.org, granularity, dt.date(2026, 9, 28), dt.date(2027, 1, 1))
    assert found


# --- The two percentile paths on the same, larger data --------------------------------------------


@pytest.fixture
def many_follow_ups(acme):
    """Follow-ups over two months, two teams, a no-team group and four accounts, with
    ties, missing times, and one group of exactly 70."""
    org = acme.org
    org.timezone = "Asia/Tokyo"
    org.save(update_fields=["timezone"])
    accounts = [CustomerAccountFactory(organization=org, owning_team=acme.support) for _ in range(3)]
    teams = [acme.support, acme.sales, None]
    times = []
    for i in range(173):
        created = tokyo(10 + i % 2, 1 + i % 28, i % 24, i % 60)
        response = None if i % 7 == 3 else ((i * 37) % 1000 + 1) / 60
        resolution = None if i % 5 == 1 or response is None else response + ((i * 53) % 600) / 4
        account, team = accounts[i % 3], teams[i % 4 if i % 4 < 3 else 0]
        follow_up(account, team, created, response, resolution)
        times.append((created.date(), team, account, response, resolution))
    # One account with exactly 70 answered in October, all different: 0.9 * 70 is a whole
    # rank, so a percentile off by one rank, or interpolated, shows.
    seventy = CustomerAccountFactory(organization=org, owning_team=acme.sales)
    for i in range(70):
        created = tokyo(10, 2 + i % 27, 8)
        response, resolution = (i * 11) % 70 / 4, None if i % 3 else (i * 13) % 70
        follow_up(seventy, acme.sales, created, response, resolution)
        times.append((created.date(), acme.sales, seventy, response, resolution))
    return acme, times


def _by_hand(times, granularity):
    """Nearest rank and the middle mean, worked out here from the list of times."""
    groups: dict = {}
    for day_, team, account, response, resolution in times:
        start = day_.replace(day=1) if granularity == MONTH else day_ - dt.timedelta(days=day_.weekday())
        for key in (("org", None), ("team", team.pk if team else None), ("account", account.pk)):
            if key[0] != "org" and key[1] is None:
                continue
            group = groups.setdefault((*key, start), {"response": [], "resolution": []})
            for name, value in (("response", response), ("resolution", resolution)):
                if value is not None:
                    group[name].append(value)
    expected = {}
    for key, group in groups.items():
        row = {}
        for name, values in group.items():
            ordered = sorted(values)
            row[f"{name}_median"] = statistics.median(ordered) if ordered else None
            row[f"{name}_p90"] = ordered[math.ceil(9 * len(ordered) / 10) - 1] if ordered else None
        expected[key] = row
    return expected


def _values(found):
    return {
        (scope, scope_id, period): {
            name: group[name] for name in ("response_median", "response_p90", "resolution_median", "resolution_p90")
        }
        for (scope, scope_id, period), group in found.items()
    }


@pytest.mark.parametrize("granularity", [WEEK, MONTH])
def test_the_portable_percentiles_equal_a_computation_by_hand(many_follow_ups, granularity):
    acme, times = many_follow_ups
    raw = work.turnaround_portable(acme.org, granularity, dt.date(2026, 9, 28), dt.date(2026, 12, 1))
    found = _values(raw)
    expected = _by_hand(times, granularity)
    assert set(found) == set(expected)
    for key, values in expected.items():
        assert found[key] == pytest.approx(values), key
    if granularity == MONTH:
        assert any(group["responded"] == 70 for group in raw.values())


@pytest.mark.parametrize("granularity", [WEEK, MONTH, QUARTER])
def test_postgresql_percentiles_equal_the_portable_ones(many_follow_ups, granularity):
    if connection.vendor != "postgresql":
        if in_ci() and os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.fail("Required under CI=true with a PostgreSQL DATABASE_URL: the percentile_cont path")
        pytest.skip("percentile_cont is PostgreSQL's: this runs on PostgreSQL (CI's second run)")
    acme, _ = many_follow_ups
    window = (acme.org, granularity, dt.date(2026, 9, 28), dt.date(2027, 1, 1))
    portable, postgresql = work.turnaround_portable(*window), work.turnaround_postgresql(*window)
    assert set(portable) == set(postgresql)
    for key, group in portable.items():
        assert postgresql[key] == pytest.approx(group), key
    if granularity == MONTH:
        assert any(group["responded"] == 70 for group in portable.values())
