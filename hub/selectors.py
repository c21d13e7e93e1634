"""Reads for the member home: what the person should see first each day, from every app.

The page and the API (hub/api.py) build the same dict with ``home``, so they never
disagree. Every part goes through its entity's access rule (``visible_to``,
``in_full_for``, surveys.access.access_scores) and costs a fixed number of queries,
whatever the number of rows: lists are cut short in SQL with their totals counted by a
window function, and the team scores of every team come in one query.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, Case, Count, Exists, F, OuterRef, Q, Value, When, Window
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.models import Membership
from customers.models import CustomerAccount, FollowUp
from dashboards.selectors.manager import HEADLINE, HINTS, Score
from surveys import selectors as survey_selectors
from surveys.access import access_scores
from surveys.models.scores import Granularity, Metric, ScopeType
from surveys.scoring.periods import Period
from teamhub.lib.tenancy import Role, has_role
from teams import selectors as team_selectors
from work import selectors as work_selectors

FOLLOW_UPS_SHOWN = 5
CUSTOMERS_SHOWN = 6
WINS_SHOWN = 5
HANDOFFS_SHOWN = 3
# How far back a "current" score may lie: older than this, the team has none now.
SCORES_SINCE = dt.timedelta(days=400)
OPEN = (FollowUp.Status.OPEN, FollowUp.Status.IN_PROGRESS)


def _counted(rows, limit: int) -> tuple[list, int]:
    # The list's full size rides along in the same query: a window function counts the
    # rows that match before LIMIT cuts them short.
    rows = list(rows.annotate(listed_total=Window(Count("pk")))[:limit])
    return rows, (rows[0].listed_total if rows else 0)


def _flag(condition: Q) -> Case:
    # True or False, never NULL: on PostgreSQL a comparison with a NULL column is NULL,
    # which sorts first when descending and would put undated or unled rows on top.
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _today(membership: Membership, now) -> dt.date:
    return timezone.localdate(now, ZoneInfo(membership.organization.timezone))


def my_follow_ups(*, membership: Membership, now=None, limit: int = FOLLOW_UPS_SHOWN) -> tuple[list[FollowUp], int]:
    """Open follow-ups the person owns, overdue first, then soonest due, then oldest;
    with how many there are in all."""
    now = now or timezone.now()
    today = _today(membership, now)
    rows = (
        FollowUp.objects.visible_to(membership)
        .filter(owner=membership, status__in=OPEN)
        .select_related("account__owning_team", "contact")
        .annotate(is_overdue=_flag(Q(due_date__lt=today)))
        .order_by(F("is_overdue").desc(), F("due_date").asc(nulls_last=True), "created_at", "pk")
    )
    rows, total = _counted(rows, limit)
    for follow_up in rows:
        follow_up.overdue = bool(follow_up.is_overdue)
    return rows, total


def my_customers(*, membership: Membership, limit: int = CUSTOMERS_SHOWN) -> tuple[list[CustomerAccount], int]:
    """Accounts of the teams the person is on or manages, and those they lead: the ones
    they lead first, then those at risk, then by name; each with its open follow-ups,
    whether the person reads its details, and its latest customer NPS (``nps``, a
    Score; none when the person may not read it)."""
    mine = Q(owning_team__in=team_selectors.teams_on_or_managed(membership=membership).values("pk"))
    in_full = CustomerAccount.objects.in_full_for(membership).filter(pk=OuterRef("pk"))
    rows = (
        CustomerAccount.objects.visible_to(membership)
        .filter(mine | Q(lead=membership))
        .select_related("owning_team", "lead__user")
        .annotate(
            in_full=Exists(in_full),
            led_by_me=_flag(Q(lead=membership)),
            at_risk=_flag(Q(status=CustomerAccount.Status.AT_RISK)),
            open_follow_ups=Count("follow_ups", filter=Q(follow_ups__status__in=OPEN)),
        )
        .order_by(F("led_by_me").desc(), F("at_risk").desc(), "name", "pk")
    )
    rows, total = _counted(rows, limit)
    latest = _latest_scores(membership, ScopeType.ACCOUNT, [a.pk for a in rows], (Metric.NPS,))
    for account in rows:
        account.nps = latest.get((account.pk, Metric.NPS)) if account.in_full else None
    return rows, total


def _latest_scores(membership: Membership, scope_type: str, scope_ids: list[int], metrics, today=None) -> dict:
    """{(scope id, metric): Score} of each scope's latest month and the one before, in
    one query, as access_scores allows (a member never gets a suppressed one)."""
    if not scope_ids:
        return {}
    since = (today or timezone.now().date()) - SCORES_SINCE
    rows = access_scores(membership=membership).filter(
        scope_type=scope_type,
        scope_id__in=scope_ids,
        metric__in=list(metrics),
        granularity=Granularity.MONTH,
        period_start__gte=since,
    )
    found: dict = {}
    for snapshot in rows.order_by("period_start", "pk"):
        found.setdefault((snapshot.scope_id, snapshot.metric), {})[snapshot.period_start] = snapshot
    scores = {}
    for key, by_period in found.items():
        snapshot = by_period[max(by_period)]
        previous = by_period.get(Period(snapshot.granularity, snapshot.period_start).previous().start)
        scores[key] = Score(metric=key[1], snapshot=snapshot, previous=previous)
    return scores


def my_team_scores(*, membership: Membership) -> list[dict]:
    """For each team the person is on or manages: its current engagement, collaboration,
    customer NPS and eNPS (month), each a Score with no snapshot when there is none the
    person may read — a member is never given a suppressed one, a manager sees it as
    "not enough responses"."""
    teams = list(team_selectors.teams_on_or_managed(membership=membership))
    latest = _latest_scores(membership, ScopeType.TEAM, [t.pk for t in teams], HEADLINE)
    return [{"team": team, "scores": [latest.get((team.pk, m)) or Score(metric=m) for m in HEADLINE]} for team in teams]


def home(*, membership: Membership, now=None) -> dict:
    """Everything the home page shows, for the person."""
    now = now or timezone.now()
    follow_ups, follow_up_total = my_follow_ups(membership=membership, now=now)
    customers, customer_total = my_customers(membership=membership)
    return {
        "role_counts": account_selectors.role_counts(membership=membership),
        "is_manager": has_role(membership, Role.MANAGER),
        # The person's teams, each with their role and what excellence looks like in it.
        "my_teams": list(team_selectors.my_excellence(membership=membership)),
        "wins": work_selectors.win_cards(membership=membership, limit=WINS_SHOWN),
        # The oldest three of each box, each knowing how many more wait in the inbox.
        "boxes": work_selectors.inbox(membership=membership, now=now, limit=HANDOFFS_SHOWN),
        "surveys": list(survey_selectors.pending_rounds(membership=membership)),
        "follow_ups": follow_ups,
        "follow_up_total": follow_up_total,
        "customers": customers,
        "customer_total": customer_total,
        "team_scores": my_team_scores(membership=membership),
        "score_hints": HINTS,
        "now": now,
    }
