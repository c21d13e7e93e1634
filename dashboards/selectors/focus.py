"""Focus areas and action plans: each scope's strongest and weakest drivers, which
drivers move with engagement, and a plan's driver trend beside its progress.

Every figure comes through surveys.access.access_scores, so who reads which snapshot
and how a suppressed one shows is decided there: managers and admins get a suppressed
driver as "not enough responses", members do not get it at all. A scope's figures
are one query whatever its history (the window of periods is bounded), and the
organisation page's team table is one more query for all the teams.

"Latest" is the newest period of the window with at least one shown driver figure: a
quarter that has only just begun, or whose responses are too few, does not hide the
last one that can be read.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts.models import Membership
from dashboards.selectors.manager import explained
from surveys.access import access_scores
from surveys.bank import Driver
from surveys.models import ScoreSnapshot
from surveys.models.scores import Granularity, Metric, ScopeType
from surveys.scoring.periods import Period, period_of
from teamhub.lib.tenancy import Role, get_visible_or_404, has_role
from teams.access import manages_team
from teams.models import CheckIn, Goal, KeyResult, Team, TeamMembership

# Engagement is the outcome; the others are what moves it.
DRIVERS = tuple(d for d in Driver if d != Driver.ENGAGEMENT)
DRIVER_KEYS = tuple(d.value for d in DRIVERS)
FAVOURABLE = {d.value: Metric(f"favourable.{d.value}") for d in DRIVERS}
CORRELATION = {d.value: Metric(f"correlation.{d.value}") for d in DRIVERS}
SHOWN = 3
# Correlations are kept for months and quarters only (surveys.scoring.correlation).
GRANULARITIES = ((Granularity.QUARTER, "Quarter"), (Granularity.MONTH, "Month"))
WINDOW = {Granularity.MONTH: 12, Granularity.QUARTER: 8}
# From this r on, a weak driver is where a plan most likely lifts engagement too.
LEVER = 0.3
CHECK_INS_SHOWN = 10

HOW_RANKED = (
    "Drivers are ranked by percent favourable (answers of 4 or 5) in the latest period with figures that can be "
    "shown; a tie keeps the survey's order of drivers."
)
HOW_MOVES = (
    "For each driver, Pearson's r between each response's mean engagement answer and its mean answer on the "
    "driver, across the period's responses: near 1, people who rate the driver higher are clearly more engaged; "
    "near 0, the two do not move together. It shows what goes with engagement, not what causes it."
)
NOT_ENOUGH_HINT = (
    "Not enough responses yet: driver figures show once at least the organisation's anonymity threshold of people "
    "have answered a pulse survey in the period. Start a pulse for the team under Surveys, or switch to a longer "
    "period."
)
NO_DATA_HINT = (
    "No driver figures yet: they come from pulse surveys. Start one under Surveys; each driver's percent "
    "favourable appears here once enough people have answered."
)


def chosen_granularity(value: str) -> str:
    """The switcher's choice; anything else is the quarter (a page never fails on it)."""
    return value if value in dict(GRANULARITIES) else Granularity.QUARTER


def driver_label(driver: str) -> str:
    try:
        return Driver(driver).label
    except ValueError:
        return driver


def _today(membership: Membership, today: dt.date | None) -> dt.date:
    return today or timezone.localdate(timezone.now(), ZoneInfo(membership.organization.timezone))


def window(granularity: str, today: dt.date) -> list[Period]:
    """The last periods of ``granularity`` up to today's, oldest first."""
    found = [period_of(granularity, today)]
    for _ in range(WINDOW[granularity] - 1):
        found.append(found[-1].previous())
    return found[::-1]


# --- Access ---------------------------------------------------------------------------


def may_read_team_focus(membership: Membership, team: Team) -> bool:
    """Admins, the team's managers and its members (members see only shown figures)."""
    if has_role(membership, Role.ADMIN) or manages_team(membership, team):
        return True
    return TeamMembership.objects.filter(team=team, membership=membership).exists()


def access_focus_team(*, membership: Membership, team_id) -> Team:
    """Another organisation's team is not found; one of ours the person is neither on
    nor manages is refused (403), as teams' own pages answer."""
    team = get_visible_or_404(Team.objects.all(), membership, pk=team_id)
    if not may_read_team_focus(membership, team):
        raise PermissionDenied("Only the team's members, its managers and admins read its focus areas.")
    return team


def access_action_plan(*, membership: Membership, goal_id) -> Goal:
    """A team goal made from a driver; any other goal is not an action plan (404)."""
    plans = Goal.objects.select_related("team", "parent", "owner__user").filter(team__isnull=False).exclude(driver="")
    goal = get_visible_or_404(plans, membership, pk=goal_id)
    if not may_read_team_focus(membership, goal.team):
        raise PermissionDenied("Only the team's members, its managers and admins read its action plans.")
    return goal


def can_plan(membership: Membership, team: Team) -> bool:
    return manages_team(membership, team)


# --- Shapes -----------------------------------------------------------------------------


def _shown(snapshot: ScoreSnapshot | None) -> float | None:
    if snapshot is None or snapshot.suppressed or snapshot.value is None:
        return None
    return snapshot.value


def strength_words(r: float | None) -> str:
    """What an r means, in plain words."""
    if r is None:
        return "no pattern: the answers did not vary enough"
    size = abs(r)
    if size < 0.1:
        return "does not move with engagement"
    strength = "strongly" if size >= 0.5 else "clearly" if size >= LEVER else "slightly"
    together = "moves with" if r > 0 else "moves against"
    return f"{together} engagement {strength}"


@dataclass
class DriverFigure:
    """One driver in one period: its percent favourable, the change since the period
    before, and how closely it moves with engagement (each when it may be shown)."""

    driver: str
    snapshot: ScoreSnapshot | None
    previous: ScoreSnapshot | None = None
    correlation: ScoreSnapshot | None = None
    order: int = 0

    @property
    def label(self) -> str:
        return driver_label(self.driver)

    @property
    def value(self) -> float | None:
        return _shown(self.snapshot)

    @property
    def suppressed(self) -> bool:
        return self.snapshot is not None and self.snapshot.suppressed

    @property
    def change(self) -> float | None:
        before = _shown(self.previous)
        if self.value is None or before is None:
            return None
        return round(self.value - before, 1)

    @property
    def direction(self) -> str:
        change = self.change
        if change is None:
            return ""
        return "up" if change > 0 else "down" if change < 0 else "same"

    @property
    def r(self) -> float | None:
        return _shown(self.correlation)

    @property
    def moves(self) -> str:
        if self.correlation is None:
            return ""
        if self.correlation.suppressed:
            return "not enough responses"
        return strength_words(self.r)

    @property
    def is_lever(self) -> bool:
        return self.r is not None and self.r >= LEVER

    @property
    def explain(self) -> dict | None:
        return explained(self.snapshot) if self.snapshot else None

    @property
    def correlation_explain(self) -> dict | None:
        return explained(self.correlation) if self.correlation else None


def _by_key(rows) -> dict:
    return {(s.scope_type, s.scope_id, s.metric, s.period_start): s for s in rows}


def _scope_snapshots(membership, scope_type, scope_ids, granularity: str, periods: list[Period]):
    """The scopes' driver, correlation and engagement snapshots of the window, one query."""
    metrics = [*FAVOURABLE.values(), *CORRELATION.values(), Metric.ENGAGEMENT]
    return _by_key(
        access_scores(membership=membership).filter(
            scope_type=scope_type,
            scope_id__in=scope_ids,
            granularity=granularity,
            metric__in=metrics,
            period_start__gte=periods[0].start,
            period_start__lte=periods[-1].start,
        )
    )


def _latest_period(found: dict, scope_type: str, scope_id: int, periods: list[Period]) -> Period | None:
    for period in reversed(periods):
        for metric in FAVOURABLE.values():
            if _shown(found.get((scope_type, scope_id, metric, period.start))) is not None:
                return period
    return None


def rank(figures: list[DriverFigure]) -> list[DriverFigure]:
    """Shown figures, most favourable first; a tie keeps the drivers' own order."""
    return sorted((f for f in figures if f.value is not None), key=lambda f: (-f.value, f.order))


def split(ranked: list[DriverFigure]) -> tuple[list[DriverFigure], list[DriverFigure]]:
    """The three strongest and the three weakest (weakest first), never the same
    driver in both: with fewer than six shown, each side gets half, and a driver as
    favourable as the last strong one is not among the weak."""
    count = min(SHOWN, len(ranked) // 2)
    if count == 0:
        return [], []
    strongest = ranked[:count]
    # A driver level with a strong one is not called weak.
    weakest = [f for f in reversed(ranked) if f.value < strongest[-1].value][:count]
    return strongest, weakest


def _focus(found: dict, scope_type: str, scope_id: int, periods: list[Period]) -> dict:
    """One scope's focus areas from the window's snapshots."""
    period = _latest_period(found, scope_type, scope_id, periods)
    any_hidden = any(
        getattr(found.get((scope_type, scope_id, metric, p.start)), "suppressed", False)
        for p in periods
        for metric in FAVOURABLE.values()
    )
    if period is None:
        return {
            "period": None,
            "period_label": "",
            "is_current": False,
            "figures": [],
            "ranked": [],
            "strongest": [],
            "weakest": [],
            "hidden": [],
            "moves": [],
            "moves_hidden": [],
            "engagement": None,
            "why_empty": "suppressed" if any_hidden else "missing",
            "hint": NOT_ENOUGH_HINT if any_hidden else NO_DATA_HINT,
        }
    previous = period.previous().start

    def at(metric, start=period.start):
        return found.get((scope_type, scope_id, metric, start))

    figures = [
        DriverFigure(
            driver=key,
            snapshot=at(FAVOURABLE[key]),
            previous=at(FAVOURABLE[key], previous),
            correlation=at(CORRELATION[key]),
            order=index,
        )
        for index, key in enumerate(DRIVER_KEYS)
    ]
    ranked = rank(figures)
    strongest, weakest = split(ranked)
    with_r = [f for f in figures if f.correlation is not None and not f.correlation.suppressed and f.r is not None]
    engagement = at(Metric.ENGAGEMENT)
    return {
        "period": period,
        "period_label": period.label,
        "is_current": period == periods[-1],
        "figures": figures,
        "ranked": ranked,
        "strongest": strongest,
        "weakest": weakest,
        "hidden": [f for f in figures if f.suppressed],
        "moves": sorted(with_r, key=lambda f: (-f.r, f.order)),
        "moves_hidden": [f for f in figures if f.correlation is not None and f not in with_r],
        "engagement": engagement,
        "engagement_value": _shown(engagement),
        "engagement_explain": explained(engagement) if engagement else None,
        "why_empty": "",
        "hint": "",
    }


# --- The pages ------------------------------------------------------------------------------


def _listed_teams(membership: Membership) -> list[Team]:
    """The teams whose focus areas the organisation page lists: every team for an
    admin; the ones a manager manages or is on."""
    teams = Team.objects.for_org(membership.organization_id).order_by("name", "pk")
    if not has_role(membership, Role.ADMIN):
        teams = teams.filter(Q(managers=membership) | Q(memberships__membership=membership)).distinct()
    return list(teams)


def organisation_focus(*, membership: Membership, granularity: str = Granularity.QUARTER, today=None) -> dict:
    """The organisation's focus areas and, per team the person may open, its strongest
    and weakest driver: two queries for the figures whatever the number of teams."""
    today = _today(membership, today)
    periods = window(granularity, today)
    org_id = membership.organization_id
    found = _scope_snapshots(membership, ScopeType.ORGANIZATION, [org_id], granularity, periods)
    teams = _listed_teams(membership)
    team_found = _scope_snapshots(membership, ScopeType.TEAM, [t.pk for t in teams], granularity, periods)
    rows = []
    for team in teams:
        focus = _focus(team_found, ScopeType.TEAM, team.pk, periods)
        rows.append({"team": team, "focus": focus})
    return {
        "scope": "organisation",
        "granularity": granularity,
        "granularity_label": Granularity(granularity).label,
        "today_period": periods[-1],
        "focus": _focus(found, ScopeType.ORGANIZATION, org_id, periods),
        "teams": rows,
    }


def team_focus(*, membership: Membership, team: Team, granularity: str = Granularity.QUARTER, today=None) -> dict:
    """One team's focus areas and its action plans (two queries for the plans)."""
    today = _today(membership, today)
    periods = window(granularity, today)
    found = _scope_snapshots(membership, ScopeType.TEAM, [team.pk], granularity, periods)
    return {
        "scope": "team",
        "team": team,
        "granularity": granularity,
        "granularity_label": Granularity(granularity).label,
        "today_period": periods[-1],
        "focus": _focus(found, ScopeType.TEAM, team.pk, periods),
        "plans": team_plans(membership=membership, team=team),
        "can_plan": can_plan(membership, team),
    }


def team_plans(*, membership: Membership, team: Team) -> list[Goal]:
    key_results = Prefetch("key_results", queryset=KeyResult.objects.order_by("order", "pk"))
    plans = list(
        Goal.objects.visible_to(membership)
        .filter(team=team)
        .exclude(driver="")
        .prefetch_related(key_results)
        .order_by("-period_start", "title", "pk")
    )
    for plan in plans:
        plan.driver_label = driver_label(plan.driver)
    return plans


def current_favourable(*, membership: Membership, team: Team, driver: str, granularity: str, today=None):
    """The driver's latest shown percent favourable for the team within the window, or None."""
    today = _today(membership, today)
    periods = window(granularity, today)
    snapshot = (
        access_scores(membership=membership)
        .filter(
            scope_type=ScopeType.TEAM,
            scope_id=team.pk,
            granularity=granularity,
            metric=FAVOURABLE[driver],
            suppressed=False,
            value__isnull=False,
            period_start__gte=periods[0].start,
        )
        .order_by("-period_start")
        .first()
    )
    return snapshot


def plan_defaults(*, membership: Membership, team: Team, driver: str, granularity: str, today=None) -> dict:
    """What the one-step form starts from: title, the first active organisation goal,
    this quarter, and the driver's current figure (the key result's baseline)."""
    today = _today(membership, today)
    snapshot = current_favourable(membership=membership, team=team, driver=driver, granularity=granularity, today=today)
    quarter = this_quarter(membership=membership, today=today)
    parent = active_org_goals(membership=membership, today=today).first()
    current = None if snapshot is None else round(snapshot.value)
    return {
        "today": today,
        "driver": driver,
        "driver_label": driver_label(driver),
        "title": f"Improve {driver_label(driver)}",
        "parent": parent,
        "period_start": quarter.start,
        "period_end": quarter.end - dt.timedelta(days=1),
        "period_label": quarter.label,
        "current": current,
        "current_period": Period(snapshot.granularity, snapshot.period_start).label if snapshot else "",
        "target": None if current is None else min(100, current + 10),
    }


def this_quarter(*, membership: Membership, today=None) -> Period:
    """The quarter a new plan runs for: today's, in the organisation's time zone."""
    return period_of(Granularity.QUARTER, _today(membership, today))


def active_org_goals(*, membership: Membership, today: dt.date):
    """Organisation goals a plan may serve: not closed, not ended; soonest to end first."""
    return (
        Goal.objects.visible_to(membership)
        .filter(team__isnull=True, period_end__gte=today)
        .exclude(status__in=[Goal.Status.ACHIEVED, Goal.Status.MISSED])
        .order_by("period_end", "title", "pk")
    )


def action_plan(*, membership: Membership, goal: Goal, granularity: str = Granularity.QUARTER, today=None) -> dict:
    """A plan's driver trend (the team's percent favourable over the window; a missing or
    suppressed period is a gap) beside its key results and latest check-ins."""
    today = _today(membership, today)
    periods = window(granularity, today)
    metric = FAVOURABLE.get(goal.driver)
    rows = {}
    if metric is not None:
        rows = {
            s.period_start: s
            for s in access_scores(membership=membership).filter(
                scope_type=ScopeType.TEAM,
                scope_id=goal.team_id,
                granularity=granularity,
                metric=metric,
                period_start__gte=periods[0].start,
            )
        }
    trend = [
        {
            "period": p,
            "label": p.label,
            "value": None if _shown(rows.get(p.start)) is None else round(rows[p.start].value, 1),
            "suppressed": bool(rows.get(p.start) and rows[p.start].suppressed),
            "in_plan": p.end > goal.period_start and p.start <= goal.period_end,
            "explain": explained(rows[p.start]) if p.start in rows else None,
        }
        for p in periods
    ]
    check_ins = Prefetch(
        "check_ins", queryset=CheckIn.objects.select_related("author__user").order_by("-created_at", "-pk")
    )
    key_results = list(goal.key_results.order_by("order", "pk").prefetch_related(check_ins))
    for key_result in key_results:
        key_result.latest_check_ins = list(key_result.check_ins.all())[:CHECK_INS_SHOWN]
    latest = next((t for t in reversed(trend) if t["value"] is not None), None)
    return {
        "goal": goal,
        "driver": goal.driver,
        "driver_label": driver_label(goal.driver),
        "granularity": granularity,
        "granularity_label": Granularity(granularity).label,
        "trend": trend,
        "has_trend": latest is not None,
        "latest": latest,
        "key_results": key_results,
        "can_plan": can_plan(membership, goal.team),
    }


def trend_chart(plan: dict) -> dict:
    """The trend as static/js/dashboards.js draws it, with each key result's target
    as a flat line so the figure and the goal read together."""
    datasets = [{"label": f"{plan['driver_label']}, % favourable", "data": [t["value"] for t in plan["trend"]]}]
    for key_result in plan["key_results"]:
        if key_result.unit.strip() == "%":
            target = float(key_result.target)
            datasets.append({"label": f"Target, {target:g}%", "data": [target] * len(plan["trend"])})
    return {
        "type": "line",
        "labels": [t["label"] for t in plan["trend"]],
        "datasets": datasets,
        "y": {"min": 0, "max": 100, "title": "% favourable"},
        "gap": "not enough responses or no data",
    }
