"""Reads for daily work: the wins feed, values in action, handoff inboxes and whom to
hand a need to — what they return, in what order, and in how many queries."""

import datetime as dt

import pytest
import time_machine

from accounts.tests.factories import MembershipFactory
from customers.tests.factories import CustomerAccountFactory
from teamhub.lib.tenancy import Role
from teams.models import MemberStrength
from teams.tests.factories import (
    FunctionFactory,
    JobRoleFactory,
    MemberStrengthFactory,
    StrengthFactory,
    TeamFactory,
    TeamMembershipFactory,
    ValueFactory,
)
from work import selectors
from work.models import Handoff
from work.tests.factories import (
    AdoptionFactory,
    HandoffFactory,
    SpotlightFactory,
    WinFactory,
    WinReactionFactory,
)

pytestmark = pytest.mark.django_db

S = Handoff.Status
NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def acme(personas):
    """Bob manages Sales, where Charlie works; Dana manages Support, where Erin and Frank
    work. Sales owns Initech."""
    p = personas
    p.other_manager = MembershipFactory(organization=p.org, role=Role.MANAGER, user__full_name="Dana Manager")
    p.sales = TeamFactory(organization=p.org, name="Sales", managers=[p.manager])
    p.support = TeamFactory(organization=p.org, name="Support", managers=[p.other_manager])
    TeamMembershipFactory(team=p.sales, membership=p.member)
    p.erin = TeamMembershipFactory(team=p.support, membership__user__full_name="Erin Support").membership
    p.frank = TeamMembershipFactory(team=p.support, membership__user__full_name="Frank Support").membership
    p.account = CustomerAccountFactory(organization=p.org, name="Initech", owning_team=p.sales)
    p.kindness = ValueFactory(organization=p.org, name="Kindness")
    p.ownership = ValueFactory(organization=p.org, name="Ownership")
    return p


def _win(p, hours_ago=1, **kwargs):
    kwargs.setdefault("author", p.member)
    kwargs.setdefault("team", p.sales)
    kwargs.setdefault("values", [p.kindness])
    return WinFactory(organization=p.org, created_at=NOW - dt.timedelta(hours=hours_ago), **kwargs)


def _feed(p, viewer=None, **filters):
    return list(selectors.win_feed(membership=viewer or p.member, **filters))


# --- The wins feed ------------------------------------------------------------------------------


def test_win_feed_is_newest_first_and_breaks_ties_by_newest_row(acme):
    old = _win(acme, hours_ago=5)
    tie_first = _win(acme, hours_ago=2)
    tie_second = _win(acme, hours_ago=2)
    new = _win(acme, hours_ago=1)

    assert _feed(acme) == [new, tie_second, tie_first, old]


def test_win_feed_shows_only_the_viewers_organisation(acme):
    mine = _win(acme)
    WinFactory(organization=acme.other_org)

    assert _feed(acme) == [mine]
    assert _feed(acme, viewer=acme.outsider) != [mine]


def test_win_feed_filters_by_team(acme):
    sales = _win(acme)
    _win(acme, author=acme.erin, team=acme.support)

    assert _feed(acme, team=acme.sales) == [sales]


def test_win_feed_filters_by_account(acme):
    for_initech = _win(acme, account=acme.account)
    _win(acme, account=CustomerAccountFactory(organization=acme.org))
    _win(acme)

    assert _feed(acme, account=acme.account) == [for_initech]


def test_win_feed_filters_spotlighted_wins(acme):
    shining = _win(acme)
    SpotlightFactory(win=shining, by=acme.manager)
    _win(acme)

    assert _feed(acme, spotlighted=True) == [shining]
    assert len(_feed(acme)) == 2


def test_win_feed_counts_applause_and_adoptions_without_multiplying_them(acme):
    win = _win(acme)
    SpotlightFactory(win=win, by=acme.manager)
    for person in (acme.erin, acme.frank):
        WinReactionFactory(win=win, membership=person)
    for _ in range(3):
        AdoptionFactory(win=win, team=TeamFactory(organization=acme.org))
    quiet = _win(acme, hours_ago=3)

    cards = {w.pk: w for w in _feed(acme, viewer=acme.erin)}

    assert (cards[win.pk].applause, cards[win.pk].adoption_count) == (2, 3)
    assert (cards[quiet.pk].applause, cards[quiet.pk].adoption_count) == (0, 0)


def test_win_feed_says_whether_the_viewer_applauded(acme):
    win = _win(acme)
    WinReactionFactory(win=win, membership=acme.erin)

    assert _feed(acme, viewer=acme.erin)[0].applauded is True
    assert _feed(acme, viewer=acme.frank)[0].applauded is False


def _render_cards(wins):
    return [
        (
            w.title,
            w.author.user.full_name,
            w.team.name,
            w.account and w.account.name,
            [v.name for v in w.values.all()],
            [c.user.full_name for c in w.collaborators.all()],
            getattr(w, "spotlight", None) and w.spotlight.by.user.full_name,
            w.applause,
            w.applauded,
            w.adoption_count,
        )
        for w in wins
    ]


def test_win_feed_takes_the_same_queries_for_one_win_as_for_many(acme, django_assert_num_queries):
    def rich_win(i):
        win = _win(
            acme,
            hours_ago=i,
            account=acme.account,
            values=[acme.kindness, acme.ownership],
            collaborators=[acme.erin, acme.frank],
        )
        SpotlightFactory(win=win, by=acme.manager)
        WinReactionFactory(win=win, membership=acme.erin)
        AdoptionFactory(win=win, team=acme.support)
        return win

    rich_win(1)
    with django_assert_num_queries(3):
        assert len(_render_cards(selectors.win_feed(membership=acme.member))) == 1

    for i in range(2, 12):
        rich_win(i)
    _win(acme, hours_ago=20)  # no account, spotlight or collaborators
    with django_assert_num_queries(3):
        assert len(_render_cards(selectors.win_feed(membership=acme.member))) == 12


def test_win_feed_with_adoptions_brings_each_wins_adoptions_in_one_more_query(acme, django_assert_num_queries):
    def adopted_win(i):
        win = _win(acme, hours_ago=i, collaborators=[acme.erin])
        SpotlightFactory(win=win, by=acme.manager)
        AdoptionFactory(win=win, team=acme.support, by=acme.other_manager)

    def read():
        wins = list(selectors.win_feed_with_adoptions(membership=acme.member))
        _render_cards(wins)  # everything win_feed carries is still there, in its queries
        return [[(a.team.name, a.by.user.full_name) for a in win.adoptions.all()] for win in wins]

    adopted_win(1)
    with django_assert_num_queries(4):
        assert read() == [[("Support", "Dana Manager")]]

    for i in range(2, 8):
        adopted_win(i)
    _win(acme, hours_ago=20)  # not adopted
    with django_assert_num_queries(4):
        assert read() == [[("Support", "Dana Manager")]] * 7 + [[]]


def test_win_feed_with_adoptions_keeps_win_feeds_filters_and_order(acme):
    sales_old = _win(acme, hours_ago=3)
    sales_new = _win(acme, hours_ago=1)
    _win(acme, author=acme.erin, team=acme.support, hours_ago=2)

    wins = selectors.win_feed_with_adoptions(membership=acme.member, team=acme.sales)

    assert list(wins) == [sales_new, sales_old]


# --- Values in action ---------------------------------------------------------------------------


def _at(year, month, day, hour=12):
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


def test_values_in_action_counts_wins_per_value_per_month(acme):
    WinFactory(organization=acme.org, team=acme.sales, created_at=_at(2026, 10, 5), values=[acme.kindness])
    WinFactory(
        organization=acme.org, team=acme.sales, created_at=_at(2026, 10, 9), values=[acme.kindness, acme.ownership]
    )
    WinFactory(organization=acme.org, team=acme.sales, created_at=_at(2026, 11, 2), values=[acme.ownership])
    WinFactory(
        organization=acme.other_org, created_at=_at(2026, 11, 2), values=[ValueFactory(organization=acme.other_org)]
    )

    with time_machine.travel(NOW, tick=False):
        chart = selectors.values_in_action(membership=acme.member, months=3)

    assert chart["labels"][-2:] == ["2026-10-01", "2026-11-01"]
    assert chart["series"]["Kindness"][-2:] == [2, 0]
    assert chart["series"]["Ownership"][-2:] == [1, 1]
    assert set(chart["series"]) == {"Kindness", "Ownership"}


def test_values_in_action_for_a_team_counts_only_its_wins(acme):
    WinFactory(organization=acme.org, team=acme.sales, created_at=_at(2026, 11, 2), values=[acme.kindness])
    WinFactory(organization=acme.org, team=acme.support, created_at=_at(2026, 11, 3), values=[acme.ownership])

    with time_machine.travel(NOW, tick=False):
        chart = selectors.values_in_action(membership=acme.member, team=acme.support, months=3)

    assert chart == {"labels": ["2026-09-01", "2026-10-01", "2026-11-01"], "series": {"Ownership": [0, 0, 1]}}


def test_values_in_action_leaves_out_wins_older_than_the_window(acme):
    WinFactory(organization=acme.org, team=acme.sales, created_at=_at(2026, 3, 2), values=[acme.kindness])
    WinFactory(organization=acme.org, team=acme.sales, created_at=_at(2026, 11, 2), values=[acme.ownership])

    with time_machine.travel(NOW, tick=False):
        chart = selectors.values_in_action(membership=acme.member, months=3)

    assert chart == {"labels": ["2026-09-01", "2026-10-01", "2026-11-01"], "series": {"Ownership": [0, 0, 1]}}


def test_values_in_action_splits_months_in_the_organisations_time_zone(acme):
    acme.org.timezone = "America/New_York"
    acme.org.save(update_fields=["timezone"])
    # 02:00 UTC on 1 November is still 31 October in New York.
    WinFactory(organization=acme.org, team=acme.sales, created_at=_at(2026, 11, 1, hour=2), values=[acme.kindness])
    # 05:00 UTC on 1 November is already November there.
    WinFactory(organization=acme.org, team=acme.sales, created_at=_at(2026, 11, 1, hour=5), values=[acme.kindness])

    with time_machine.travel(NOW, tick=False):
        chart = selectors.values_in_action(membership=acme.member, months=3)

    assert chart == {"labels": ["2026-09-01", "2026-10-01", "2026-11-01"], "series": {"Kindness": [0, 1, 1]}}


def test_values_in_action_splits_months_ahead_of_utc_too(acme):
    acme.org.timezone = "Pacific/Auckland"
    acme.org.save(update_fields=["timezone"])
    # 12:00 UTC on 31 October is 01:00 on 1 November in Auckland.
    WinFactory(organization=acme.org, team=acme.sales, created_at=_at(2026, 10, 31), values=[acme.kindness])

    with time_machine.travel(NOW, tick=False):
        chart = selectors.values_in_action(membership=acme.member, months=3)

    assert chart == {"labels": ["2026-09-01", "2026-10-01", "2026-11-01"], "series": {"Kindness": [0, 0, 1]}}


def test_values_in_action_never_counts_part_of_a_month(acme):
    # With months=3 on 23 November the window starts on 22 August: a win on the 20th
    # is dropped while one on the 25th is counted, so August's bar is short.
    WinFactory(organization=acme.org, team=acme.sales, created_at=_at(2026, 8, 20), values=[acme.kindness])
    WinFactory(organization=acme.org, team=acme.sales, created_at=_at(2026, 8, 25), values=[acme.kindness])

    with time_machine.travel(NOW, tick=False):
        chart = selectors.values_in_action(membership=acme.member, months=3)

    august = chart["series"]["Kindness"][0] if chart["labels"][:1] == ["2026-08-01"] else 0
    assert august in (0, 2), chart


def test_values_in_action_shows_an_empty_month_as_zero(acme):
    WinFactory(organization=acme.org, team=acme.sales, created_at=_at(2026, 9, 5), values=[acme.kindness])
    WinFactory(organization=acme.org, team=acme.sales, created_at=_at(2026, 11, 5), values=[acme.kindness])

    with time_machine.travel(NOW, tick=False):
        chart = selectors.values_in_action(membership=acme.member, months=3)

    assert chart == {"labels": ["2026-09-01", "2026-10-01", "2026-11-01"], "series": {"Kindness": [1, 0, 1]}}


# --- Inbox --------------------------------------------------------------------------------------


def _handoff(p, status=S.OPEN, hours_ago=1, **kwargs):
    fields = {
        "organization": p.org,
        "account": p.account,
        "sender": p.member,
        "to_member": p.erin,
        "status": status,
        "created_at": NOW - dt.timedelta(hours=hours_ago),
        "sla_hours": 24,
    }
    fields.update(kwargs)
    if status in (S.ACCEPTED, S.COMPLETED, S.RETURNED):
        fields.setdefault("accepted_by", fields["to_member"])
        fields.setdefault("accepted_at", fields["created_at"] + dt.timedelta(hours=1))
    return HandoffFactory(**fields)


def _pks(handoffs):
    return [h.pk for h in handoffs]


def test_inbox_to_me_holds_open_and_accepted_handoffs_to_me_oldest_first(acme):
    accepted = _handoff(acme, S.ACCEPTED, hours_ago=10)
    fresh = _handoff(acme, hours_ago=1)
    older = _handoff(acme, hours_ago=5)
    for closed in (S.DECLINED, S.COMPLETED, S.RETURNED, S.CANCELLED):
        _handoff(acme, closed)
    _handoff(acme, to_member=acme.frank)

    boxes = selectors.inbox(membership=acme.erin, now=NOW)

    assert _pks(boxes["to_me"]) == [accepted.pk, older.pk, fresh.pk]


def test_inbox_to_me_includes_team_handoffs_i_claimed(acme):
    claimed = _handoff(acme, S.ACCEPTED, to_member=None, to_team=acme.support, accepted_by=acme.erin, accepted_at=NOW)
    _handoff(acme, S.ACCEPTED, to_member=None, to_team=acme.support, accepted_by=acme.frank, accepted_at=NOW)
    _handoff(acme, S.COMPLETED, to_member=None, to_team=acme.support, accepted_by=acme.erin, accepted_at=NOW)

    boxes = selectors.inbox(membership=acme.erin, now=NOW)

    assert _pks(boxes["to_me"]) == [claimed.pk]
    assert boxes["to_my_teams"] == []


def test_inbox_to_my_teams_holds_only_open_unclaimed_team_handoffs(acme):
    waiting = _handoff(acme, to_member=None, to_team=acme.support)
    for status in (S.ACCEPTED, S.DECLINED, S.COMPLETED, S.RETURNED, S.CANCELLED):
        _handoff(acme, status, to_member=None, to_team=acme.support, accepted_by=acme.frank, accepted_at=NOW)
    _handoff(acme, to_member=None, to_team=TeamFactory(organization=acme.org))

    boxes = selectors.inbox(membership=acme.erin, now=NOW)

    assert _pks(boxes["to_my_teams"]) == [waiting.pk]
    assert boxes["to_me"] == []


def test_inbox_to_my_teams_includes_teams_i_manage_without_being_on_them(acme):
    waiting = _handoff(acme, to_member=None, to_team=acme.support)

    boxes = selectors.inbox(membership=acme.other_manager, now=NOW)

    # Dana manages Support and may claim what was handed to it, so she sees it.
    assert _pks(boxes["to_my_teams"]) == [waiting.pk]


def test_inbox_sent_holds_only_my_open_and_accepted_handoffs(acme):
    open_ = _handoff(acme, hours_ago=3)
    accepted = _handoff(acme, S.ACCEPTED, hours_ago=2, to_member=acme.frank)
    for status in (S.DECLINED, S.COMPLETED, S.RETURNED, S.CANCELLED):
        _handoff(acme, status)
    _handoff(acme, sender=acme.manager)

    boxes = selectors.inbox(membership=acme.member, now=NOW)

    assert _pks(boxes["sent"]) == [open_.pk, accepted.pk]
    assert boxes["to_me"] == boxes["to_my_teams"] == []


def test_inbox_carries_each_handoffs_age_and_breach(acme):
    late = _handoff(acme, hours_ago=30)
    on_time = _handoff(acme, hours_ago=2)
    accepted_late = _handoff(acme, S.ACCEPTED, hours_ago=50, accepted_at=NOW - dt.timedelta(hours=20))

    boxes = selectors.inbox(membership=acme.erin, now=NOW)

    flags = {h.pk: (h.age, h.breached) for h in boxes["to_me"]}
    assert flags == {
        late.pk: (dt.timedelta(hours=30), True),
        on_time.pk: (dt.timedelta(hours=2), False),
        accepted_late.pk: (dt.timedelta(hours=50), True),
    }


def test_inbox_never_shows_another_organisations_handoffs(acme):
    mine = _handoff(acme)
    HandoffFactory(organization=acme.other_org, sender=acme.outsider)

    acme_boxes = selectors.inbox(membership=acme.member, now=NOW)
    globex_boxes = selectors.inbox(membership=acme.outsider, now=NOW)

    assert _pks(acme_boxes["sent"]) == [mine.pk]
    assert [h.organization for h in globex_boxes["sent"]] == [acme.other_org]


def test_inbox_with_a_limit_keeps_each_boxs_oldest_and_counts_them_all(acme):
    oldest, second = _handoff(acme, hours_ago=9), _handoff(acme, hours_ago=8)
    for hours in (7, 6, 5):
        _handoff(acme, hours_ago=hours)
    waiting_for_team = _handoff(acme, to_member=None, to_team=acme.support, hours_ago=4)

    boxes = selectors.inbox(membership=acme.erin, now=NOW, limit=2)

    assert _pks(boxes["to_me"]) == [oldest.pk, second.pk]
    assert (boxes["to_me"].total, boxes["to_me"].more) == (5, 3)
    assert _pks(boxes["to_my_teams"]) == [waiting_for_team.pk]
    assert (boxes["to_my_teams"].total, boxes["to_my_teams"].more) == (1, 0)
    assert (boxes["sent"], boxes["sent"].total, boxes["sent"].more) == ([], 0, 0)


def test_inbox_without_a_limit_holds_every_handoff_and_its_total(acme):
    for hours in range(1, 8):
        _handoff(acme, hours_ago=hours)

    boxes = selectors.inbox(membership=acme.erin, now=NOW)

    assert len(boxes["to_me"]) == boxes["to_me"].total == 7
    assert boxes["to_me"].more == 0


@pytest.mark.parametrize("limit", [None, 3])
def test_inbox_takes_the_same_queries_for_one_handoff_as_for_many(acme, django_assert_num_queries, limit):
    def read(boxes):
        rows = [
            (h.account.name, h.sender.user.full_name, h.to_team and h.to_team.name, h.accepted_by and h.age)
            for box in boxes.values()
            for h in box
        ]
        return len(rows), sum(box.total for box in boxes.values())

    _handoff(acme, to_member=acme.erin)
    with django_assert_num_queries(3):
        assert read(selectors.inbox(membership=acme.erin, now=NOW, limit=limit)) == (1, 1)

    for i in range(5):
        _handoff(acme, S.ACCEPTED, hours_ago=i + 2)
        _handoff(acme, to_member=None, to_team=acme.support, hours_ago=i + 2)
        _handoff(acme, sender=acme.erin, to_member=acme.member, hours_ago=i + 2)
    with django_assert_num_queries(3):
        shown = 16 if limit is None else 9
        assert read(selectors.inbox(membership=acme.erin, now=NOW, limit=limit)) == (shown, 16)


# --- An account's handoffs ---------------------------------------------------------------------


def test_account_handoffs_shows_only_handoffs_the_viewer_may_see(acme):
    # Erin is on Support; Initech belongs to Sales, so she sees only what involves her or her team.
    to_erin = _handoff(acme, hours_ago=3)
    to_support = _handoff(acme, hours_ago=2, to_member=None, to_team=acme.support)
    _handoff(acme, hours_ago=1, to_member=acme.frank, sender=acme.manager)
    _handoff(acme, account=CustomerAccountFactory(organization=acme.org, owning_team=acme.sales))

    seen = selectors.account_handoffs(membership=acme.erin, account=acme.account, now=NOW)

    assert _pks(seen) == [to_support.pk, to_erin.pk]


def test_account_handoffs_shows_the_owning_teams_people_every_handoff_about_it(acme):
    handoffs = [_handoff(acme, hours_ago=h, to_member=acme.frank, sender=acme.erin) for h in (1, 2)]

    # Charlie is on Sales, which owns Initech; the outsider's organisation has none of it.
    assert _pks(selectors.account_handoffs(membership=acme.member, account=acme.account)) == _pks(handoffs)
    assert selectors.account_handoffs(membership=acme.outsider, account=acme.account) == []


def test_account_handoffs_is_newest_first_and_breaks_ties_by_newest_row(acme):
    old = _handoff(acme, hours_ago=5)
    tie_first = _handoff(acme, hours_ago=2)
    tie_second = _handoff(acme, hours_ago=2)
    new = _handoff(acme, hours_ago=1)

    seen = selectors.account_handoffs(membership=acme.member, account=acme.account, now=NOW)

    assert _pks(seen) == [new.pk, tie_second.pk, tie_first.pk, old.pk]


def test_account_handoffs_stops_at_the_limit_keeping_the_newest(acme):
    newest = [_handoff(acme, hours_ago=h) for h in range(1, 13)]

    assert _pks(selectors.account_handoffs(membership=acme.member, account=acme.account, now=NOW)) == _pks(newest[:10])
    assert _pks(selectors.account_handoffs(membership=acme.member, account=acme.account, limit=3, now=NOW)) == _pks(
        newest[:3]
    )


def test_account_handoffs_flags_those_that_breached_the_sla(acme):
    late = _handoff(acme, hours_ago=30)
    on_time = _handoff(acme, hours_ago=2)

    seen = selectors.account_handoffs(membership=acme.member, account=acme.account, now=NOW)

    assert {h.pk: h.breached for h in seen} == {late.pk: True, on_time.pk: False}


def test_account_handoffs_takes_one_query_however_many(acme, django_assert_num_queries):
    def read():
        seen = selectors.account_handoffs(membership=acme.member, account=acme.account, now=NOW)
        return [(h.account.name, h.sender.user.full_name, h.to_member and h.to_member.user.full_name) for h in seen]

    _handoff(acme)
    with django_assert_num_queries(1):
        assert len(read()) == 1

    for i in range(5):
        _handoff(acme, hours_ago=i + 2, to_member=None, to_team=acme.support)
    with django_assert_num_queries(1):
        assert len(read()) == 6


# --- Whom to hand it to -------------------------------------------------------------------------


def _suggest(p, **kwargs):
    kwargs.setdefault("membership", p.member)
    kwargs.setdefault("account", p.account)
    return selectors.suggest_recipients(**kwargs)


def _names(suggestions):
    return [s["membership"].user.full_name for s in suggestions]


def test_suggest_recipients_ranks_by_strength_level_and_says_so(acme):
    billing = StrengthFactory(organization=acme.org, name="Billing")
    MemberStrengthFactory(strength=billing, membership=acme.frank, level=MemberStrength.Level.EXPERT)
    MemberStrengthFactory(strength=billing, membership=acme.erin, level=MemberStrength.Level.PRACTISED)

    suggestions = _suggest(acme, strength=billing)

    assert _names(suggestions) == ["Frank Support", "Erin Support"]
    assert suggestions[0]["reasons"] == ["strong at Billing (5/5)", "no open handoffs"]
    assert suggestions[1]["reasons"] == ["strong at Billing (2/5)", "no open handoffs"]


def test_suggest_recipients_credits_the_function_asked_for(acme):
    finance = FunctionFactory(organization=acme.org, name="Finance")
    TeamMembershipFactory(
        team=acme.support,
        membership=acme.other_manager,
        job_role=JobRoleFactory(organization=acme.org, function=finance),
    )

    suggestions = _suggest(acme, function=finance)

    assert _names(suggestions) == ["Dana Manager"]
    assert "works in Finance" in suggestions[0]["reasons"]


def test_suggest_recipients_credits_the_team_that_owns_the_account(acme):
    salesperson = TeamMembershipFactory(team=acme.sales, membership__user__full_name="Sam Sales").membership

    suggestions = _suggest(acme)

    assert suggestions[0]["membership"] == salesperson
    assert suggestions[0]["reasons"] == ["on Sales, which owns Initech", "no open handoffs"]


def test_suggest_recipients_open_load_lowers_the_score_and_says_how_many(acme):
    billing = StrengthFactory(organization=acme.org, name="Billing")
    for person in (acme.erin, acme.frank):
        MemberStrengthFactory(strength=billing, membership=person, level=MemberStrength.Level.STRONG)
    _handoff(acme, to_member=acme.erin)
    _handoff(acme, S.ACCEPTED, to_member=acme.erin)
    _handoff(acme, S.COMPLETED, to_member=acme.frank)  # done: no load

    suggestions = _suggest(acme, strength=billing)

    assert _names(suggestions) == ["Frank Support", "Erin Support"]
    assert suggestions[0]["score"] - suggestions[1]["score"] == 2
    assert suggestions[1]["reasons"][-1] == "2 open handoff(s) already"
    assert suggestions[0]["reasons"][-1] == "no open handoffs"


def test_suggest_recipients_weighs_strength_function_and_team_together(acme):
    billing = StrengthFactory(organization=acme.org, name="Billing")
    finance = FunctionFactory(organization=acme.org, name="Finance")
    finance_role = JobRoleFactory(organization=acme.org, function=finance)
    all_round = TeamMembershipFactory(
        team=acme.sales, membership__user__full_name="Zed Allround", job_role=finance_role
    ).membership
    MemberStrengthFactory(strength=billing, membership=all_round, level=MemberStrength.Level.STRONG)
    MemberStrengthFactory(strength=billing, membership=acme.erin, level=MemberStrength.Level.EXPERT)

    suggestions = _suggest(acme, strength=billing, function=finance)

    # Zed: 2 * 3 + 3 + 2 = 11; Erin: 2 * 5 = 10.
    assert _names(suggestions) == ["Zed Allround", "Erin Support"]
    assert (suggestions[0]["score"], suggestions[1]["score"]) == (11, 10)
    assert suggestions[0]["reasons"] == [
        "strong at Billing (3/5)",
        "works in Finance",
        "on Sales, which owns Initech",
        "no open handoffs",
    ]


def test_suggest_recipients_leaves_out_people_with_nothing_to_offer(acme):
    billing = StrengthFactory(organization=acme.org, name="Billing")
    MemberStrengthFactory(strength=billing, membership=acme.frank)

    assert _names(_suggest(acme, strength=billing)) == ["Frank Support"]


def test_suggest_recipients_never_suggests_the_requester_or_inactive_people(acme):
    billing = StrengthFactory(organization=acme.org, name="Billing")
    MemberStrengthFactory(strength=billing, membership=acme.member, level=MemberStrength.Level.EXPERT)
    gone = MembershipFactory(organization=acme.org, is_active=False, user__full_name="Gone Person")
    MemberStrengthFactory(strength=billing, membership=gone, level=MemberStrength.Level.EXPERT)
    MemberStrengthFactory(strength=billing, membership=acme.erin)

    suggestions = _suggest(acme, strength=billing)
    everyone = _suggest(acme, limit=50)

    assert _names(suggestions) == ["Erin Support"]
    assert acme.member not in [s["membership"] for s in everyone]
    assert gone not in [s["membership"] for s in everyone]
    assert acme.outsider not in [s["membership"] for s in everyone]


def test_suggest_recipients_stops_at_the_limit(acme):
    for i in range(4):
        TeamMembershipFactory(team=acme.sales, membership__user__full_name=f"Seller {i}")

    assert len(_suggest(acme, limit=2)) == 2


def test_suggest_recipients_counts_team_handoffs_a_person_claimed_as_load(acme):
    billing = StrengthFactory(organization=acme.org, name="Billing")
    for person in (acme.erin, acme.frank):
        MemberStrengthFactory(strength=billing, membership=person, level=MemberStrength.Level.STRONG)
    for _ in range(2):
        _handoff(acme, S.ACCEPTED, to_member=None, to_team=acme.support, accepted_by=acme.erin, accepted_at=NOW)

    suggestions = _suggest(acme, strength=billing)

    assert _names(suggestions) == ["Frank Support", "Erin Support"]
    assert suggestions[1]["reasons"][-1] == "2 open handoff(s) already"
