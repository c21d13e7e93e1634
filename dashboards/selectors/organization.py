"""Reads for the organisation view: what the manager dashboard shows, for every team of
the organisation, and more an admin compares — teams and functions side by side, the
values in action and the participation in each survey round.

It reuses the manager dashboard's pieces (snapshots, scores with their change, trends,
explanations), the work app's values in action and the surveys' round results, so a
figure reads the same here as on the page it comes from, suppression included: a
hidden score or group shows "not enough responses", never its figure. Each part is one
query (the round results a fixed handful) whatever the number of teams, functions and
rounds.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Membership
from dashboards.selectors import manager
from surveys import results
from surveys import selectors_scores as scores
from surveys.models import SurveyRound
from surveys.models.scores import Granularity, Metric, ScopeType
from teams.models import Function, Team, Value
from work.selectors import values_in_action

# The columns of the side-by-side tables, and the organisation's own figures.
COMPARED = (*manager.HEADLINE, Metric.RESPONSE_RATE, Metric.HANDOFF_SLA)
SORTS = ("name", *COMPARED)
ROUNDS_SHOWN = 12
NO_VALUE = "No value given"
HINTS = {
    **manager.HINTS,
    Metric.RESPONSE_RATE: "Response rate comes from pulse survey rounds: the share of those invited who answered.",
    Metric.HANDOFF_SLA: (
        "Handoff SLA attainment is the share of handoffs received that were accepted within the organisation's "
        "SLA: hand customer needs to colleagues and teams under Handoffs."
    ),
}


# --- Side by side --------------------------------------------------------------------


@dataclass
class Row:
    """One team or function of a comparison table: a Score per compared metric."""

    scope: object
    scores: list = field(default_factory=list)

    def score(self, metric: str):
        return next(s for s in self.scores if s.metric == metric)


def parse_sort(value: str | None) -> tuple[str, bool]:
    """(column, descending) from ``engagement``, ``-engagement``, ``name``…; anything
    else is the name, A to Z."""
    value = value or ""
    descending = value.startswith("-")
    column = value.removeprefix("-")
    return (column, descending) if column in SORTS else ("name", False)


def sort_rows(rows: list[Row], column: str, descending: bool) -> list[Row]:
    """Rows by name, or by a metric's value; a row without a shown value (no data, or
    not enough responses) always comes last, so hiding never ranks a group."""
    by_name = sorted(rows, key=lambda r: (r.scope.name.lower(), r.scope.pk))
    if column == "name":
        return by_name[::-1] if descending else by_name
    shown = [r for r in by_name if r.score(column).value is not None]
    others = [r for r in by_name if r.score(column).value is None]
    shown.sort(key=lambda r: r.score(column).value, reverse=descending)
    return shown + others


def _rows(scopes, found: dict) -> list[Row]:
    return [Row(scope, [manager._latest(m, found.get((scope.pk, m), {})) for m in COMPARED]) for scope in scopes]


# Column headings kept short so six figures fit side by side.
SHORT = {Metric.NPS: "NPS", Metric.HANDOFF_SLA: "Handoff SLA"}


def columns() -> list[dict]:
    return [
        {"metric": m, "label": scores.metric_label(m), "short": SHORT.get(m, scores.metric_label(m)), "hint": HINTS[m]}
        for m in COMPARED
    ]


# --- Values in action ------------------------------------------------------------------


def _months_back(since: dt.date, today: dt.date) -> int:
    return (today.year - since.year) * 12 + today.month - since.month + 1


def values_summary(*, membership: Membership, since: dt.date, today: dt.date) -> dict:
    """Wins per value from the month of ``since`` to today (the work app's values in
    action, summed), every active value listed even without a win: two queries."""
    chart = values_in_action(membership=membership, months=_months_back(since, today))
    totals = {name or NO_VALUE: sum(counts) for name, counts in chart["series"].items()}
    active = Value.objects.for_org(membership.organization_id).active().values_list("name", flat=True)
    rows = [{"value": name, "wins": totals.pop(name, 0)} for name in active]
    rows += [{"value": name, "wins": n} for name, n in sorted(totals.items(), key=lambda kv: kv[0] == NO_VALUE)]
    return {
        "since": dt.date.fromisoformat(chart["labels"][0]),
        "rows": rows,
        "total": sum(r["wins"] for r in rows),
        "data": {
            "type": "bar",
            "labels": [r["value"] for r in rows],
            "datasets": [{"label": "Wins", "data": [r["wins"] for r in rows]}],
            "y": {"min": 0, "title": "Wins"},
        },
    }


# --- Participation ---------------------------------------------------------------------


@dataclass
class Turnout:
    """One group's participation in a round; ``hidden``: too few answered to show how
    many (then neither the count nor the rate is known here)."""

    name: str
    invited: int
    hidden: bool
    answered: int | None
    rate: float | None
    team_id: int | None = None


def _turnout(group: results.GroupResult, team_id=None) -> Turnout:
    hidden = group.responses.hidden
    return Turnout(
        name=group.group.label,
        invited=group.invited,
        hidden=hidden,
        answered=None if hidden else group.responses.n,
        rate=None if hidden else group.response_rate,
        team_id=team_id,
    )


def participation(*, membership: Membership, limit: int = ROUNDS_SHOWN) -> list[dict]:
    """The latest rounds that have opened, newest first: for the organisation and each
    team, how many were invited, how many answered and the rate — as the round's results
    show them (a team below the anonymity threshold, or its complement, is hidden; while
    a round is open only the organisation's count shows)."""
    rounds = list(
        SurveyRound.objects.for_org(membership.organization_id)
        .exclude(status=SurveyRound.Status.SCHEDULED)
        .select_related("survey", "organization")
        .order_by("-opens_at", "-pk")[:limit]
    )
    found = results.rounds_results(viewer=membership, rounds=rounds, breakdown=results.TEAM, comments=False)
    return [
        {
            "round": r.round,
            "closed": r.closed,
            "organization": _turnout(r.organization),
            "teams": [_turnout(g, g.group.id) for g in r.children],
        }
        for r in found
    ]


def participation_chart(rounds: list[dict]) -> dict:
    """The organisation's response rate per round, oldest first (a hidden one is a gap)."""
    ordered = rounds[::-1]
    return {
        "type": "bar",
        "labels": [f"{r['round'].survey.title} #{r['round'].number}" for r in ordered],
        "datasets": [{"label": "Response rate (%)", "data": [r["organization"].rate for r in ordered]}],
        "y": {"min": 0, "max": 100, "step": 20, "title": "Response rate (%)"},
        "gap": "not enough responses yet",
    }


# --- Trends ----------------------------------------------------------------------------


def org_trends(org, teams: list[Team], org_found: dict, team_found: dict, window) -> list[dict]:
    """The manager dashboard's trend charts with the organisation's line first, then a
    line per team (read apart: an organisation's id may equal a team's)."""
    charts = manager.trends(teams, team_found, window)
    for chart, whole in zip(charts, manager.trends([org], org_found, window), strict=True):
        for series in whole["series"]:
            series.update(team_id=None, team=f"{org.name} (whole organisation)")
        for series in chart["series"]:
            series["kind"] = "team"
        whole["series"][0]["kind"] = "organization"
        chart["series"] = whole["series"] + chart["series"]
        chart["has_data"] = chart["has_data"] or whole["has_data"]
    return charts


# --- The page --------------------------------------------------------------------------


def organization_dashboard(
    *,
    membership: Membership,
    granularity: str = Granularity.MONTH,
    team_sort: str = "",
    function_sort: str = "",
    now=None,
) -> dict:
    """Everything the organisation view shows, for its page and its API alike (admins)."""
    now = now or timezone.now()
    org = membership.organization
    today = timezone.localdate(now, ZoneInfo(org.timezone))
    window = manager.periods(granularity, today)
    since = window[0].start
    teams = list(Team.objects.for_org(org.pk).order_by("name", "pk"))
    functions = list(Function.objects.for_org(org.pk).order_by("name", "pk"))

    def read(scopes, scope_type, metrics):
        if not scopes:
            return {}
        return manager._snapshots(membership, scopes, granularity, since, scope_type=scope_type, metrics=metrics)

    org_found = read([org], ScopeType.ORGANIZATION, COMPARED)
    team_found = read(teams, ScopeType.TEAM, (*COMPARED, *manager.DRIVERS))
    function_found = read(functions, ScopeType.FUNCTION, COMPARED)
    team_sort_by, function_sort_by = parse_sort(team_sort), parse_sort(function_sort)
    trend_charts = org_trends(org, teams, org_found, team_found, window)
    rounds = participation(membership=membership)
    heatmap = [
        {"team": t, "drivers": [manager._latest(m, team_found.get((t.pk, m), {})) for m in manager.DRIVERS]}
        for t in teams
    ]
    return {
        "granularity": granularity,
        "granularity_label": manager.PERIOD_NAMES[granularity],
        "periods": window,
        "organization": org,
        "scores": [manager._latest(m, org_found.get((org.pk, m), {})) for m in COMPARED],
        "trends": trend_charts,
        "columns": columns(),
        "teams": sort_rows(_rows(teams, team_found), *team_sort_by),
        "team_sort": team_sort_by,
        "functions": sort_rows(_rows(functions, function_found), *function_sort_by),
        "function_sort": function_sort_by,
        "drivers": [{"metric": m, "label": scores.metric_label(m)} for m in manager.DRIVERS],
        "heatmap": heatmap,
        "has_drivers": any(s.snapshot for row in heatmap for s in row["drivers"]),
        "values": values_summary(membership=membership, since=since, today=today),
        "rounds": rounds,
        "rounds_chart": participation_chart(rounds),
        "now": now,
    }
