"""The silo map: which pairs of teams work together in a period — handoffs between them
and wins shared across them — and which pairs with customers or functions in common
never do.

Rules, shown on the page as they are here:

* A **handoff** between two teams: sent in the period from one team
  (``Handoff.sender_team``) to another (``receiving_team``), whatever became of it.
* A **shared win**: a win of one team (``Win.team``) logged in the period with a
  collaborator who is not on that team and is on the other one (people's teams as
  they are now). A win counts once per pair, however many collaborators it has there.
* Two teams **share a customer** when both own it now or owned it before (its
  ownership history), and **share a function** when both have people in a role of it.
* A **silo**: a pair sharing customers or functions with no handoff and no shared win
  in the period; the most shared ties first.

The map holds team-level counts only; a pair's page lists only the handoffs the
viewer may open (``Handoff.objects.visible_to``). Every count is grouped by pair in
SQL: the map costs the same few queries for two teams or fifty.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from accounts.models import Membership
from customers.models import CustomerAccount, OwnershipChange
from surveys.scoring.periods import MONTH, QUARTER, Period, period_of
from teamhub.lib.forms import MAX_ID
from teamhub.lib.tenancy import Role, require_role
from teams.models import Function, JobRole, Team, TeamMembership
from work.models import Handoff, Win

GRANULARITIES = (MONTH, QUARTER)


# --- Periods -------------------------------------------------------------------------------


def default_period(organization, granularity: str = QUARTER, today: dt.date | None = None) -> Period:
    """The current month or quarter in the organisation's time zone."""
    today = today or timezone.localdate(timezone.now(), ZoneInfo(organization.timezone))
    return period_of(granularity, today)


def period_bounds(organization, period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period's first instant and the first instant after it, in the organisation's zone."""
    zone = ZoneInfo(organization.timezone)
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(period.end, dt.time.min, tzinfo=zone)


def period_data(period: Period) -> dict:
    return {
        "granularity": period.granularity,
        "start": period.start,
        "end": period.end - dt.timedelta(days=1),
        "label": period.label,
    }


# --- Who may look ----------------------------------------------------------------------------


def require_silo_reader(membership: Membership) -> None:
    """Managers and admins read the whole organisation's map (team-level counts only)."""
    require_role(membership, Role.MANAGER)


def access_pair(*, membership: Membership, team_a_id: int, team_b_id: int) -> tuple[Team, Team]:
    """Two different teams of the membership's organisation, or 404 — then 403 for a
    role that may not read the map, so a guessed id of another organisation says nothing."""
    ids = {team_a_id, team_b_id}
    teams = {}
    if len(ids) == 2 and max(ids) <= MAX_ID:
        teams = {
            t.pk: t for t in Team.objects.visible_to(membership).filter(pk__in=ids).prefetch_related("managers__user")
        }
    if len(teams) != 2:
        raise Http404("No such pair of teams.")
    require_silo_reader(membership)
    return teams[team_a_id], teams[team_b_id]


# --- The map -----------------------------------------------------------------------------------


@dataclass
class Pair:
    """Two teams (``a`` before ``b`` by name) and what joins them in the period."""

    a: Team
    b: Team
    a_to_b: int = 0
    b_to_a: int = 0
    shared_wins: int = 0
    shared_customers: int = 0
    shared_functions: int = 0

    @property
    def handoffs(self) -> int:
        return self.a_to_b + self.b_to_a

    @property
    def works_together(self) -> bool:
        return bool(self.handoffs or self.shared_wins)

    @property
    def ties(self) -> int:
        return self.shared_customers + self.shared_functions

    @property
    def is_silo(self) -> bool:
        return bool(self.ties) and not self.works_together

    @property
    def volume(self) -> int:
        return self.handoffs + self.shared_wins

    @property
    def both(self) -> list[Team]:
        return [self.a, self.b]

    @property
    def shared_managers(self) -> list[Membership]:
        """Who manages both teams (from the teams' prefetched managers)."""
        of_b = {m.pk for m in self.b.managers.all()}
        return [m for m in self.a.managers.all() if m.pk in of_b]


@dataclass
class SiloMap:
    period: Period
    teams: list[Team]
    pairs: dict[tuple[int, int], Pair] = field(default_factory=dict)

    def pair(self, x: Team, y: Team) -> Pair:
        return self.pairs[_key(x.pk, y.pk)]

    @property
    def cells(self) -> list[Pair]:
        """Every pair with something to show (work together or shared ties), by name."""
        return [p for p in self.pairs.values() if p.works_together or p.ties]

    @property
    def silos(self) -> list[Pair]:
        """Pairs to introduce: shared ties, no work together; the strongest ties first."""
        silos = [p for p in self.pairs.values() if p.is_silo]
        return sorted(silos, key=lambda p: (-p.ties, -p.shared_customers, p.a.name.lower(), p.b.name.lower()))

    @property
    def rows(self) -> list[dict]:
        """The matrix: one row per team, one cell per team (None on the diagonal), each
        with a shade from 0 (nothing together) to 4 (the busiest pair's volume)."""
        top = self.max_volume
        return [
            {"team": x, "cells": [None if x.pk == y.pk else self._cell(self.pair(x, y), top) for y in self.teams]}
            for x in self.teams
        ]

    @staticmethod
    def _cell(pair: Pair, top: int) -> dict:
        level = 0 if not pair.volume else 1 + min(3, 3 * pair.volume // top)
        return {"pair": pair, "level": level}

    @property
    def totals(self) -> dict:
        pairs = self.pairs.values()
        return {
            "teams": len(self.teams),
            "handoffs": sum(p.handoffs for p in pairs),
            "shared_wins": sum(p.shared_wins for p in pairs),
            "working_pairs": sum(p.works_together for p in pairs),
            "pairs": len(self.pairs),
            "silos": sum(p.is_silo for p in pairs),
        }

    @property
    def max_volume(self) -> int:
        return max((p.volume for p in self.pairs.values()), default=0)


def _key(x: int, y: int) -> tuple[int, int]:
    return (x, y) if x < y else (y, x)


def silo_map(*, membership: Membership, period: Period) -> SiloMap:
    """The whole organisation's map for ``period``: five grouped queries, whatever its size."""
    require_silo_reader(membership)
    organization = membership.organization
    teams = list(Team.objects.for_org(organization.pk).prefetch_related("managers__user").order_by("name", "pk"))
    order = {team.pk: n for n, team in enumerate(teams)}
    by_id = {team.pk: team for team in teams}
    result = SiloMap(period=period, teams=teams)
    for n, x in enumerate(teams):
        for y in teams[n + 1 :]:
            result.pairs[_key(x.pk, y.pk)] = Pair(a=x, b=y)

    def pair_of(x: int, y: int) -> Pair | None:
        if x not in by_id or y not in by_id or x == y:
            return None
        return result.pairs[_key(x, y)]

    start, end = period_bounds(organization, period)
    for row in _handoff_counts(organization.pk, start, end):
        pair = pair_of(row["sender_team_id"], row["receiving_team_id"])
        if pair is None:
            continue
        if order[row["sender_team_id"]] < order[row["receiving_team_id"]]:
            pair.a_to_b += row["n"]
        else:
            pair.b_to_a += row["n"]
    for row in _shared_win_counts(organization.pk, start, end):
        pair = pair_of(row["win_team"], row["other_team"])
        if pair is not None:
            pair.shared_wins += row["n"]
    for x, y, n in _shared_customer_counts(organization.pk):
        if (pair := pair_of(x, y)) is not None:
            pair.shared_customers = n
    for x, y, n in _shared_function_counts(organization.pk):
        if (pair := pair_of(x, y)) is not None:
            pair.shared_functions = n
    return result


def _handoff_counts(organization_id: int, start, end) -> list[dict]:
    """Handoffs sent in [start, end) per (sending team, receiving team), across teams."""
    return list(
        Handoff.objects.for_org(organization_id)
        .filter(created_at__gte=start, created_at__lt=end, sender_team__isnull=False, receiving_team__isnull=False)
        .exclude(sender_team=F("receiving_team"))
        .values("sender_team_id", "receiving_team_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _outsider_links(organization_id: int, start, end):
    """A win of the period and one collaborator who is not on the win's team."""
    on_win_team = TeamMembership.objects.filter(
        team_id=OuterRef("win__team_id"), membership_id=OuterRef("membership_id")
    )
    return Win.collaborators.through.objects.filter(
        win__organization_id=organization_id, win__created_at__gte=start, win__created_at__lt=end
    ).filter(~Exists(on_win_team))


def _shared_win_counts(organization_id: int, start, end) -> list[dict]:
    """Wins per (win's team, a collaborator's other team): each win once per pair. A
    collaborator on no team gives a row with no other team, which the map skips."""
    return list(
        _outsider_links(organization_id, start, end)
        .values(win_team=F("win__team_id"), other_team=F("membership__team_memberships__team_id"))
        .annotate(n=Count("win_id", distinct=True))
        .order_by()
    )


def _pair_counts(sql: str, params: list) -> list[tuple[int, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(x, y, n) for x, y, n in cursor.fetchall()]


def _shared_customer_counts(organization_id: int) -> list[tuple[int, int, int]]:
    """Accounts two teams are both tied to (owner now, or either side of an ownership
    change), per pair of teams. A self-join of a union, which the ORM cannot say; the
    UNION removes duplicate (account, team) ties, so COUNT(*) counts accounts."""
    account, change = CustomerAccount._meta.db_table, OwnershipChange._meta.db_table
    ties = f"""
        SELECT a.id AS account_id, a.owning_team_id AS team_id FROM {account} a WHERE a.organization_id = %s
        UNION
        SELECT c.account_id, c.from_team_id FROM {change} c JOIN {account} a ON a.id = c.account_id
         WHERE a.organization_id = %s AND c.from_team_id IS NOT NULL
        UNION
        SELECT c.account_id, c.to_team_id FROM {change} c JOIN {account} a ON a.id = c.account_id
         WHERE a.organization_id = %s AND c.to_team_id IS NOT NULL
    """  # noqa: S608 (table names from the models; values are parameters)
    sql = f"""
        WITH ties AS ({ties})
        SELECT x.team_id, y.team_id, COUNT(*) FROM ties x
          JOIN ties y ON y.account_id = x.account_id AND x.team_id < y.team_id
         GROUP BY x.team_id, y.team_id
    """  # noqa: S608
    return _pair_counts(sql, [organization_id] * 3)


def _shared_function_counts(organization_id: int) -> list[tuple[int, int, int]]:
    """Functions two teams both have people in (through their roles), per pair of teams."""
    seat, role, team = TeamMembership._meta.db_table, JobRole._meta.db_table, Team._meta.db_table
    sql = f"""
        WITH staffed AS (
            SELECT DISTINCT s.team_id, r.function_id FROM {seat} s
              JOIN {role} r ON r.id = s.job_role_id
              JOIN {team} t ON t.id = s.team_id
             WHERE t.organization_id = %s
        )
        SELECT x.team_id, y.team_id, COUNT(*) FROM staffed x
          JOIN staffed y ON y.function_id = x.function_id AND x.team_id < y.team_id
         GROUP BY x.team_id, y.team_id
    """  # noqa: S608 (table names from the models; the value is a parameter)
    return _pair_counts(sql, [organization_id])


# --- One pair ------------------------------------------------------------------------------------


@dataclass
class PairDetail:
    period: Period
    pair: Pair
    handoffs: list[Handoff]
    hidden_handoffs: int  # counted in the pair, not the viewer's to open
    wins: list[Win]
    shared_customers: list[CustomerAccount]
    shared_functions: list[Function]


def _between(x: Team, y: Team) -> Q:
    return Q(sender_team=x, receiving_team=y) | Q(sender_team=y, receiving_team=x)


def _tied_to(team: Team) -> Q:
    changes = OwnershipChange.objects.filter(account=OuterRef("pk")).filter(Q(from_team=team) | Q(to_team=team))
    return Q(owning_team=team) | Exists(changes)


def pair_detail(*, membership: Membership, team_a: Team, team_b: Team, period: Period) -> PairDetail:
    """What lies behind one cell: the handoffs either way the viewer may open (the count
    of the rest), the wins shared across the two teams, and what they have in common."""
    require_silo_reader(membership)
    organization_id = membership.organization_id
    a, b = sorted((team_a, team_b), key=lambda t: (t.name, t.pk))
    start, end = period_bounds(membership.organization, period)
    in_period = Handoff.objects.for_org(organization_id).filter(
        _between(a, b), created_at__gte=start, created_at__lt=end
    )
    sent = in_period.values("sender_team_id").annotate(n=Count("pk")).order_by()
    directions = {row["sender_team_id"]: row["n"] for row in sent}
    handoffs = list(
        Handoff.objects.visible_to(membership)
        .filter(pk__in=in_period.values("pk"))
        .select_related("account", "sender__user", "sender_team", "receiving_team", "to_member__user", "to_team")
        .order_by("-created_at", "-pk")
    )
    wins = _shared_wins(membership, a, b, start, end)
    customers = list(
        CustomerAccount.objects.visible_to(membership)
        .filter(_tied_to(a))
        .filter(_tied_to(b))
        .select_related("owning_team")
        .order_by("name", "pk")
    )
    functions = list(
        Function.objects.for_org(organization_id)
        .filter(Exists(TeamMembership.objects.filter(team=a, job_role__function=OuterRef("pk"))))
        .filter(Exists(TeamMembership.objects.filter(team=b, job_role__function=OuterRef("pk"))))
        .order_by("order", "name")
    )
    pair = Pair(
        a=a,
        b=b,
        a_to_b=directions.get(a.pk, 0),
        b_to_a=directions.get(b.pk, 0),
        shared_wins=len(wins),
        shared_customers=len(customers),
        shared_functions=len(functions),
    )
    return PairDetail(
        period=period,
        pair=pair,
        handoffs=handoffs,
        hidden_handoffs=pair.handoffs - len(handoffs),
        wins=wins,
        shared_customers=customers,
        shared_functions=functions,
    )


def _shared_wins(membership: Membership, a: Team, b: Team, start, end) -> list[Win]:
    """Wins of either team with a collaborator from the other (not on the win's team),
    each with those collaborators as ``crossing``."""
    links = _outsider_links(membership.organization_id, start, end)
    crossing_a = links.filter(win__team=a, membership__team_memberships__team=b)
    crossing_b = links.filter(win__team=b, membership__team_memberships__team=a)
    ids = crossing_a.values("win_id").union(crossing_b.values("win_id"))
    on_a = Exists(TeamMembership.objects.filter(team=a, membership=OuterRef("pk")))
    on_b = Exists(TeamMembership.objects.filter(team=b, membership=OuterRef("pk")))
    people = (
        Membership.objects.annotate(on_a=on_a, on_b=on_b)
        .filter(Q(on_a=True) | Q(on_b=True))
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    wins = list(
        Win.objects.visible_to(membership)
        .filter(pk__in=ids)
        .select_related("team", "author__user", "account")
        .prefetch_related(Prefetch("collaborators", queryset=people, to_attr="pair_people"))
        .order_by("-created_at", "-pk")
    )
    for win in wins:
        from_a = win.team_id == a.pk
        win.other_team = b if from_a else a
        # The collaborators who make it a shared win: on the other team, not on the win's.
        own, other = ("on_a", "on_b") if from_a else ("on_b", "on_a")
        win.crossing = [m for m in win.pair_people if getattr(m, other) and not getattr(m, own)]
    return wins


def graph_data(silo_map: SiloMap, pair_url) -> dict:
    """The network graph's data (static/js/silos.js): teams as nodes, and an edge for
    every pair that works together or is a silo. ``pair_url(pair)`` links its page."""
    edges = [
        {
            "a": p.a.pk,
            "b": p.b.pk,
            "handoffs": p.handoffs,
            "shared_wins": p.shared_wins,
            "ties": p.ties,
            "silo": p.is_silo,
            "url": pair_url(p),
            "label": f"{p.a.name} and {p.b.name}: {p.handoffs} handoffs, {p.shared_wins} shared wins"
            + (
                f"; a silo sharing {p.shared_customers} customers and {p.shared_functions} functions"
                if p.is_silo
                else ""
            ),
        }
        for p in silo_map.pairs.values()
        if p.works_together or p.is_silo
    ]
    counts = defaultdict(int)
    for p in silo_map.pairs.values():
        counts[p.a.pk] += p.volume
        counts[p.b.pk] += p.volume
    nodes = [{"id": t.pk, "name": t.name, "volume": counts[t.pk]} for t in silo_map.teams]
    return {"nodes": nodes, "edges": edges, "max": silo_map.max_volume}
