"""Reads for customers/: what each page gets, in what order, and at what cost."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.tests.factories import MembershipFactory
from customers import selectors, services
from customers.models import FollowUp
from teamhub.lib.tenancy import Role
from teams.tests.factories import TeamFactory, TeamMembershipFactory

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def acme(personas):
    """Bob manages Sales, where Charlie works; Dana manages Support, where Erin works."""
    p = personas
    p.other_manager = MembershipFactory(organization=p.org, role=Role.MANAGER, user__full_name="Dana Manager")
    p.other_member = MembershipFactory(organization=p.org, role=Role.MEMBER, user__full_name="Erin Member")
    p.sales = TeamFactory(organization=p.org, name="Sales", managers=[p.manager])
    p.support = TeamFactory(organization=p.org, name="Support", managers=[p.other_manager])
    TeamMembershipFactory(team=p.sales, membership=p.member)
    TeamMembershipFactory(team=p.support, membership=p.other_member)
    return p


def _account(acme, name, team=None, **fields):
    return services.account_create(actor=acme.admin, name=name, owning_team=team or acme.sales, **fields)


def _names(accounts) -> list[str]:
    return [a.name for a in accounts]


def _assert_constant(read, grow, *, expected: int):
    """``read`` costs ``expected`` queries with one row and still after ``grow()`` adds many."""
    for step in (None, grow):
        if step:
            step()
        with CaptureQueriesContext(connection) as captured:
            read()
        assert len(captured) == expected, "\n".join(q["sql"] for q in captured.captured_queries)


# --- The account list ------------------------------------------------------------------------------


@pytest.fixture
def shelf(acme):
    """Four accounts over two teams, two segments and three statuses."""
    return {
        "summit": _account(
            acme,
            "Summit Supplies",
            external_ref="NW-1001",
            segment="Key account",
            annual_revenue=Decimal("300000"),
            lead=acme.member,
        ),
        "peak": _account(
            acme, "Peak Performance", segment="Growth", status="prospect", annual_revenue=Decimal("50000")
        ),
        "base": _account(acme, "Base Camp Outdoors", acme.support, segment="Growth", status="at_risk"),
        "alpine": _account(acme, "Alpine Hire", acme.support, external_ref="NW-1004", segment="Key account"),
    }


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["Alpine Hire", "Base Camp Outdoors", "Peak Performance", "Summit Supplies"]),
        ({"q": "camp"}, ["Base Camp Outdoors"]),
        ({"q": "nw-1004"}, ["Alpine Hire"]),
        ({"q": "NW-10"}, []),  # a reference matches whole, not in part
        ({"segment": "key ACCOUNT"}, ["Alpine Hire", "Summit Supplies"]),
        ({"status": "active"}, ["Alpine Hire", "Summit Supplies"]),
        ({"status": "at_risk", "segment": "Growth"}, ["Base Camp Outdoors"]),
    ],
)
def test_the_account_list_searches_and_filters(acme, shelf, filters, expected):
    assert _names(selectors.account_list(membership=acme.member, **filters)) == expected


def test_the_account_list_filters_by_team_and_lead(acme, shelf):
    assert _names(selectors.account_list(membership=acme.admin, team=acme.support)) == [
        "Alpine Hire",
        "Base Camp Outdoors",
    ]
    assert _names(selectors.account_list(membership=acme.admin, lead=acme.member)) == ["Summit Supplies"]


def test_my_accounts_are_those_of_my_teams(acme, shelf):
    assert _names(selectors.account_list(membership=acme.member, mine=True)) == ["Peak Performance", "Summit Supplies"]
    assert len(selectors.account_list(membership=acme.admin, mine=True)) == 4


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Alpine Hire", "Base Camp Outdoors", "Peak Performance", "Summit Supplies"]),
        ("-name", ["Summit Supplies", "Peak Performance", "Base Camp Outdoors", "Alpine Hire"]),
        ("status", ["Alpine Hire", "Summit Supplies", "Base Camp Outdoors", "Peak Performance"]),
        ("team", ["Peak Performance", "Summit Supplies", "Alpine Hire", "Base Camp Outdoors"]),
        ("-revenue", ["Summit Supplies", "Peak Performance"]),
        ("nonsense", ["Alpine Hire", "Base Camp Outdoors", "Peak Performance", "Summit Supplies"]),
    ],
)
def test_the_account_list_sorts(acme, shelf, sort, expected):
    names = _names(selectors.account_list(membership=acme.admin, sort=sort))

    # Where accounts have no revenue, the database decides where they go; the rest is fixed.
    assert [n for n in names if n in expected] == expected


def test_the_account_list_says_which_accounts_i_work_on_and_how_many_follow_ups_are_open(acme, shelf):
    summit = shelf["summit"]
    for summary in ["Late delivery", "Quote", "Samples"]:
        services.follow_up_create(actor=acme.member, account=summit, summary=summary, at=NOON)
    done = services.follow_up_create(actor=acme.member, account=summit, summary="Invoice", at=NOON)
    services.follow_up_set_status(actor=acme.member, follow_up=done, status="done", at=NOON)
    started = FollowUp.objects.get(summary="Quote")
    services.follow_up_set_status(actor=acme.member, follow_up=started, status="in_progress", at=NOON)

    rows = {a.name: (a.in_full, a.open_follow_ups) for a in selectors.account_list(membership=acme.member)}

    assert rows == {
        "Summit Supplies": (True, 3),
        "Peak Performance": (True, 0),
        "Base Camp Outdoors": (False, 0),
        "Alpine Hire": (False, 0),
    }


def test_the_account_list_stays_inside_the_organisation(acme, shelf):
    globex_team = TeamFactory(organization=acme.other_org)
    services.account_create(actor=acme.outsider, name="Globex Summit", owning_team=globex_team)

    assert _names(selectors.account_list(membership=acme.outsider)) == ["Globex Summit"]
    assert "Globex Summit" not in _names(selectors.account_list(membership=acme.admin))


def test_the_account_list_costs_one_query_however_many_accounts(acme):
    summit = _account(acme, "Summit Supplies", lead=acme.member)
    services.follow_up_create(actor=acme.member, account=summit, summary="Quote")

    def read():
        return [
            (a.owning_team.name, a.lead and a.lead.user.full_name, a.in_full, a.open_follow_ups)
            for a in selectors.account_list(membership=acme.member)
        ]

    def grow():
        for n in range(12):
            account = _account(acme, f"Account {n}", acme.support if n % 2 else acme.sales, lead=acme.member)
            services.follow_up_create(actor=acme.admin, account=account, summary="Quote")

    _assert_constant(read, grow, expected=1)


def test_segments_lists_each_of_the_organisations_segments_once(acme, shelf):
    assert selectors.segments(membership=acme.member) == ["Growth", "Key account"]
    assert selectors.segments(membership=acme.outsider) == []


# --- The account page ------------------------------------------------------------------------------


def test_contacts_whose_notes_were_not_reviewed_for_six_months_need_a_review(acme):
    account = _account(acme, "Summit Supplies")
    with time_machine.travel(NOON - dt.timedelta(days=200), tick=False):
        services.contact_create(actor=acme.member, account=account, name="Old Notes", preferences="Tea, no sugar")
        services.contact_create(actor=acme.member, account=account, name="Never Reviewed")
    with time_machine.travel(NOON - dt.timedelta(days=170), tick=False):
        services.contact_create(actor=acme.member, account=account, name="Recent Notes", personal_notes="Has a dog")
    with time_machine.travel(NOON - dt.timedelta(days=5), tick=False):
        services.contact_create(actor=acme.member, account=account, name="New Contact")

    with time_machine.travel(NOON, tick=False):
        contacts = selectors.account_contacts(account=account)

    assert {c.name: c.needs_review for c in contacts} == {
        "Never Reviewed": True,
        "New Contact": False,
        "Old Notes": True,
        "Recent Notes": False,
    }


def test_reviewing_the_notes_clears_the_prompt(acme):
    account = _account(acme, "Summit Supplies")
    with time_machine.travel(NOON - dt.timedelta(days=200), tick=False):
        contact = services.contact_create(actor=acme.member, account=account, name="Ruth", preferences="Tea")

    with time_machine.travel(NOON, tick=False):
        services.contact_mark_reviewed(actor=acme.member, contact=contact)
        assert [c.needs_review for c in selectors.account_contacts(account=account)] == [False]


def test_account_contacts_are_in_name_order_and_only_the_accounts(acme):
    account = _account(acme, "Summit Supplies")
    other = _account(acme, "Other")
    for name in ["Zoe", "Adam"]:
        services.contact_create(actor=acme.member, account=account, name=name)
    services.contact_create(actor=acme.member, account=other, name="Bea")

    assert [c.name for c in selectors.account_contacts(account=account)] == ["Adam", "Zoe"]


def test_follow_ups_show_open_ones_first_soonest_due_then_closed_newest_first(acme):
    account = _account(acme, "Summit Supplies")

    def make(summary, days_ago, due=None, status=None):
        follow_up = services.follow_up_create(
            actor=acme.member,
            account=account,
            summary=summary,
            at=NOON - dt.timedelta(days=days_ago),
            due_date=due and dt.date(2026, 12, due),
        )
        if status:
            services.follow_up_set_status(actor=acme.member, follow_up=follow_up, status=status, at=NOON)

    make("Done long ago", 30, due=1, status="done")
    make("Due later", 10, due=20)
    make("Cancelled lately", 2, due=2, status="cancelled")
    make("In progress, due soon", 20, due=3, status="in_progress")
    make("Done lately", 3, status="done")

    assert [f.summary for f in selectors.account_follow_ups(account=account)] == [
        "In progress, due soon",
        "Due later",
        "Cancelled lately",
        "Done lately",
        "Done long ago",
    ]


def test_open_follow_ups_without_a_due_date_come_after_those_with_one(acme):
    account = _account(acme, "Summit Supplies")
    services.follow_up_create(actor=acme.member, account=account, summary="Whenever", at=NOON)
    services.follow_up_create(actor=acme.member, account=account, summary="Due", due_date=dt.date(2026, 12, 1))

    assert [f.summary for f in selectors.account_follow_ups(account=account)] == ["Due", "Whenever"]


def test_ownership_history_is_newest_first(acme):
    account = _account(acme, "Summit Supplies")
    with time_machine.travel(NOON - dt.timedelta(days=2), tick=False):
        services.account_transfer(actor=acme.admin, account=account, to_team=acme.support, reason="First")
    with time_machine.travel(NOON, tick=False):
        services.account_transfer(actor=acme.admin, account=account, to_team=acme.sales, reason="Back")

    assert [c.reason for c in selectors.ownership_history(account=account)] == ["Back", "First"]


def test_team_people_are_its_active_members_and_managers_once_each(acme):
    TeamMembershipFactory(team=acme.sales, membership=acme.manager)  # also on the team
    gone = MembershipFactory(organization=acme.org, is_active=False)
    TeamMembershipFactory(team=acme.sales, membership=gone)

    assert set(selectors.team_people(team=acme.sales)) == {acme.manager, acme.member}
    assert len(selectors.team_people(team=acme.sales)) == 2


# --- Turnaround ------------------------------------------------------------------------------------


def _handled(acme, account, *, created, response_hours=None, resolution_hours=None):
    follow_up = services.follow_up_create(actor=acme.admin, account=account, summary="Need", at=created)
    if response_hours is not None:
        follow_up = services.follow_up_set_status(
            actor=acme.admin,
            follow_up=follow_up,
            status="in_progress",
            at=created + dt.timedelta(hours=response_hours),
        )
    if resolution_hours is not None:
        services.follow_up_set_status(
            actor=acme.admin, follow_up=follow_up, status="done", at=created + dt.timedelta(hours=resolution_hours)
        )


def test_turnaround_gives_median_and_nearest_rank_90th_percentile_in_hours(acme):
    account = _account(acme, "Summit Supplies")
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    for n in range(1, 11):  # responses after 1…10 h, resolutions after 10…100 h
        _handled(acme, account, created=start + dt.timedelta(days=n), response_hours=n, resolution_hours=10 * n)
    _handled(acme, account, created=start + dt.timedelta(days=12))  # not answered yet

    result = selectors.turnaround(team=acme.sales, start=start, end=start + dt.timedelta(days=30))

    assert result == {
        "received": 11,
        "responded": 10,
        "resolved": 10,
        "response_median": 5.5,
        "response_p90": 9.0,
        "resolution_median": 55.0,
        "resolution_p90": 90.0,
    }


def test_turnaround_with_an_odd_count_and_a_small_sample(acme):
    account = _account(acme, "Summit Supplies")
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    for hours in [3, 1, 2]:
        _handled(acme, account, created=start, response_hours=hours)

    result = selectors.turnaround(team=acme.sales, start=start, end=start + dt.timedelta(days=1))

    # Nearest rank: ceil(0.9 * 3) = 3rd of the sorted values.
    assert (result["response_median"], result["response_p90"]) == (2.0, 3.0)
    assert (result["resolved"], result["resolution_median"], result["resolution_p90"]) == (0, None, None)


def test_turnaround_counts_only_the_teams_follow_ups_in_the_period(acme):
    sales_account = _account(acme, "Summit Supplies")
    support_account = _account(acme, "Alpine Hire", acme.support)
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    _handled(acme, sales_account, created=start, response_hours=1)
    _handled(acme, sales_account, created=start - dt.timedelta(seconds=1), response_hours=50)  # before
    _handled(acme, sales_account, created=start + dt.timedelta(days=1), response_hours=60)  # at the end: after
    _handled(acme, support_account, created=start, response_hours=70)

    result = selectors.turnaround(team=acme.sales, start=start, end=start + dt.timedelta(days=1))

    assert (result["received"], result["response_median"]) == (1, 1.0)


def test_turnaround_of_nothing_is_empty_not_zero(acme):
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)

    result = selectors.turnaround(team=acme.sales, start=start, end=start + dt.timedelta(days=30))

    assert result["received"] == 0
    assert result["response_median"] is result["response_p90"] is result["resolution_median"] is None


def test_turnaround_by_month_cuts_months_in_the_organisations_time_zone(acme):
    acme.org.timezone = "Europe/London"
    acme.org.save(update_fields=["timezone"])
    account = _account(acme, "Summit Supplies")
    # 31 August 23:30 UTC is already 1 September in London (BST, UTC+1).
    _handled(acme, account, created=dt.datetime(2026, 8, 31, 23, 30, tzinfo=dt.UTC), response_hours=4)
    _handled(acme, account, created=dt.datetime(2026, 8, 31, 22, 30, tzinfo=dt.UTC), response_hours=8)
    _handled(acme, account, created=dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), response_hours=2)

    months = selectors.turnaround_by_month(team=acme.sales, months=4, today=dt.date(2026, 11, 23))

    assert [m["period"] for m in months] == [
        dt.date(2026, 8, 1),
        dt.date(2026, 9, 1),
        dt.date(2026, 10, 1),
        dt.date(2026, 11, 1),
    ]
    assert [(m["received"], m["response_median"]) for m in months] == [(1, 8.0), (1, 4.0), (0, None), (1, 2.0)]


def test_turnaround_by_month_reads_the_window_in_one_query(acme):
    account = _account(acme, "Summit Supplies")
    _handled(acme, account, created=dt.datetime(2026, 9, 3, 9, 0, tzinfo=dt.UTC), response_hours=4)
    acme.sales.organization  # noqa: B018 (the organisation is loaded once, as a page has it)

    with CaptureQueriesContext(connection) as three:
        selectors.turnaround_by_month(team=acme.sales, months=3, today=dt.date(2026, 11, 23))
    with CaptureQueriesContext(connection) as twelve:
        selectors.turnaround_by_month(team=acme.sales, months=12, today=dt.date(2026, 11, 23))

    assert len(three) == len(twelve) == 1


def test_turnaround_by_month_ends_with_the_current_month_in_the_organisations_time_zone(acme):
    acme.org.timezone = "Pacific/Auckland"
    acme.org.save(update_fields=["timezone"])

    # 30 November 12:00 UTC is already 1 December in Auckland (NZDT, UTC+13).
    with time_machine.travel(dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC), tick=False):
        months = selectors.turnaround_by_month(team=acme.sales, months=2)

    assert [m["period"] for m in months] == [dt.date(2026, 11, 1), dt.date(2026, 12, 1)]


def test_turnaround_by_month_spans_a_year_end(acme):
    months = selectors.turnaround_by_month(team=acme.sales, months=3, today=dt.date(2027, 1, 15))

    assert [m["period"] for m in months] == [dt.date(2026, 11, 1), dt.date(2026, 12, 1), dt.date(2027, 1, 1)]


# --- Imports -----------------------------------------------------------------------------------------


def test_admins_see_every_import_and_others_only_their_own(acme):
    from customers.models import CustomerImport

    mine = CustomerImport.objects.create(organization=acme.org, created_by=acme.manager, filename="a.csv")
    theirs = CustomerImport.objects.create(organization=acme.org, created_by=acme.other_manager, filename="b.csv")
    CustomerImport.objects.create(organization=acme.other_org, created_by=acme.outsider, filename="c.csv")

    assert list(selectors.import_list(membership=acme.manager)) == [mine]
    assert set(selectors.import_list(membership=acme.admin)) == {mine, theirs}
