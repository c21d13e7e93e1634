"""Reads for the manager dashboard: a manager's landing page and its API.

Which teams: the ones the person manages; an admin who manages none sees every team
of the organisation (an admin who manages some sees those, as a manager would).
Every figure comes through the access rule of its entity — scores through
surveys.access.access_scores, handoffs, follow-ups, wins and goals through their
``visible_to`` — and the page costs the same number of queries whatever the number of
teams and rows: each part is one query (two for the SLA breaches) over all the teams.
"""

import datetime as dt
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, Window
from django.utils import timezone

from accounts.models import Membership
from customers.models import FollowUp
from surveys import selectors_scores as scores
from surveys.access import access_scores
from surveys.models import NpsFeedback, ScoreSnapshot
from surveys.models.scores import Granularity, Metric, ScopeType
from surveys.scoring.periods import Period, period_of
from surveys.selectors_feedback import detractors
from teamhub.lib.tenancy import Role, has_role
from teams.models import Commitment, Goal, KeyResult, Team, TeamCommitment
from work.models import Handoff, Spotlight, Win

# The four headline figures of a team's card, then the drivers of the heatmap.
HEADLINE = (Metric.ENGAGEMENT, Metric.COLLABORATION, Metric.NPS, Metric.ENPS)
DRIVERS = tuple(m for m in Metric if m.value.startswith("favourable."))
# How many periods a trend chart shows, the current one included.
WINDOW = {Granularity.WEEK: 12, Granularity.MONTH: 12, Granularity.QUARTER: 8}
PERIOD_NAMES = {Granularity.WEEK: "Week", Granularity.MONTH: "Month", Granularity.QUARTER: "Quarter"}
SNAPSHOT_FIELDS = (
    "scope_id",
    "metric",
    "granularity",
    "period_start",
    "value",
    "sample_size",
    "suppressed",
    "components",
)
LIST_LIMIT = 10
SPOTLIGHTS_SHOWN = 5
CLOSED_GOALS = (Goal.Status.ACHIEVED, Goal.Status.MISSED)
_SURVEY_HINT = (
    "{} comes from pulse surveys: start one for the team under Surveys; it shows once enough people have answered."
)
# What to do to get a figure that has no data yet (the empty states).
HINTS = {
    Metric.ENGAGEMENT: _SURVEY_HINT.format("Engagement"),
    Metric.ENPS: _SURVEY_HINT.format("eNPS"),
    Metric.COLLABORATION: (
        "Collaboration counts handoffs accepted in time and completed, work that crosses team lines and the "
        "survey's collaboration statements: hand off customer needs and log wins with colleagues."
    ),
    Metric.NPS: (
        "Customer NPS comes from the feedback on the team's accounts: send an NPS round to its customers under "
        "Surveys, or connect a feedback tool."
    ),
}

# Component names as people read them; a name missing here is shown as written.
COMPONENT_LABELS = {
    "favourable": "Favourable answers (4 or 5)",
    "answers": "Answers",
    "respondents": "Respondents",
    "promoters": "Promoters",
    "passives": "Passives",
    "detractors": "Detractors",
    "survey": "Survey",
    "responsiveness": "Responsiveness",
    "follow_through": "Follow-through",
    "breadth": "Breadth",
    "received": "Received",
    "within_sla": "Accepted within the SLA",
    "not_within_sla": "Not accepted within the SLA",
    "accepted": "Accepted",
    "completed": "Completed",
    "returned": "Returned",
    "in_progress": "In progress",
    "cancelled": "Cancelled",
    "crossing": "Crossing team lines",
    "wins": "Wins",
    "wins_crossing": "Wins crossing team lines",
    "handoffs": "Handoffs",
    "handoffs_crossing": "Handoffs crossing team lines",
    "missing": "Missing (dropped out)",
    "value": "Value",
    "weight": "Weight",
    "share": "Share of the score",
    "invited": "Invited",
    "answered": "Answered",
    "responded": "Responded",
    "resolved": "Resolved",
}


# --- "How is this computed" ----------------------------------------------------------


PERCENT_KEYS = {"weight", "share"}


def _show(value, key: str = "") -> str:
    if key in PERCENT_KEYS and isinstance(value, int | float):
        return f"{value * 100:.0f}%"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    if isinstance(value, list | tuple):
        return ", ".join(COMPONENT_LABELS.get(str(v), str(v)).lower() for v in value) or "none"
    return str(value)


def component_rows(components: dict) -> list[dict]:
    """A snapshot's components as rows to read: a nested component (collaboration's
    survey, responsiveness…) is a row followed by its own, indented (``level`` 1)."""
    rows = []
    for key, value in components.items():
        label = COMPONENT_LABELS.get(key, key.replace("_", " ").capitalize())
        if isinstance(value, dict):
            rows.append({"label": label, "value": _show(value.get("value", "")), "level": 0})
            rows += [
                {"label": COMPONENT_LABELS.get(k, k), "value": _show(v, k), "level": 1}
                for k, v in value.items()
                if k != "value"
            ]
        else:
            rows.append({"label": label, "value": _show(value), "level": 0})
    return rows


def explained(snapshot: ScoreSnapshot) -> dict:
    """What dashboards/partials/score_explain.html shows for one snapshot: label,
    formula, scale, components as rows, sample size, period and whether it is
    suppressed (then only why, never a count)."""
    how = scores.explanation(snapshot)
    return {
        "id": snapshot.pk,
        "label": scores.metric_label(snapshot.metric),
        "formula": how["formula"],
        "scale": how["scale"],
        "components": [] if snapshot.suppressed else component_rows(how["components"]),
        "reason": how["components"].get("suppressed", "") if snapshot.suppressed else "",
        "sample_size": None if snapshot.suppressed else snapshot.sample_size,
        "period_label": scores.period_data(snapshot)["label"],
        "suppressed": snapshot.suppressed,
    }


# --- Shapes ------------------------------------------------------------------------------


@dataclass
class Score:
    """One figure of a team: its latest period's snapshot within the window, and the change
    since the period before (none when either side is missing or suppressed)."""

    metric: str
    snapshot: ScoreSnapshot | None = None
    previous: ScoreSnapshot | None = None

    @property
    def label(self) -> str:
        return scores.metric_label(self.metric)

    @property
    def value(self) -> float | None:
        return None if self.snapshot is None or self.snapshot.suppressed else self.snapshot.value

    @property
    def suppressed(self) -> bool:
        return self.snapshot is not None and self.snapshot.suppressed

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None or self.previous.suppressed or self.previous.value is None:
            return None
        return round(self.value - self.previous.value, 1)

    @property
    def direction(self) -> str:
        change = self.change
        if change is None:
            return ""
        return "up" if change > 0 else "down" if change < 0 else "same"

    @property
    def band(self) -> int | None:
        """Five colour bands of a 0-100 figure (as the survey heatmap has them)."""
        if self.value is None:
            return None
        return sum(self.value >= edge for edge in (40, 55, 70, 85))

    @property
    def period_label(self) -> str:
        return scores.period_data(self.snapshot)["label"] if self.snapshot else ""

    @property
    def previous_label(self) -> str:
        if self.snapshot is None:
            return ""
        return Period(self.snapshot.granularity, self.snapshot.period_start).previous().label

    @property
    def hint(self) -> str:
        return HINTS.get(self.metric, "")

    @property
    def explain(self) -> dict | None:
        return explained(self.snapshot) if self.snapshot else None


@dataclass
class TeamBoard:
    team: Team
    scores: list[Score] = field(default_factory=list)
    drivers: list[Score] = field(default_factory=list)
    commitments: list[dict] = field(default_factory=list)

    @property
    def kept(self) -> int:
        return sum(1 for c in self.commitments if c["kept"])


# --- Teams -------------------------------------------------------------------------------


def dashboard_teams(*, membership: Membership) -> tuple[list[Team], bool]:
    """The teams the person manages, with their commitments, and False; for an admin who
    manages none, every team of the organisation, and True."""
    teams = Team.objects.for_org(membership.organization_id).prefetch_related(
        Prefetch("commitments", queryset=TeamCommitment.objects.order_by("commitment"))
    )
    managed = list(teams.filter(managers=membership).order_by("name", "pk"))
    if managed or not has_role(membership, Role.ADMIN):
        return managed, False
    return list(teams.order_by("name", "pk")), True


def _commitments(team: Team) -> list[dict]:
    recorded = {c.commitment: c for c in team.commitments.all()}
    return [
        {
            "key": key,
            "label": label,
            "kept": bool(recorded.get(key) and recorded[key].is_kept),
            "kept_since": recorded[key].kept_since if key in recorded and recorded[key].is_kept else None,
        }
        for key, label in Commitment.choices
    ]


# --- Scores --------------------------------------------------------------------------------


def periods(granularity: str, today: dt.date) -> list[Period]:
    """The trend window: the last periods of ``granularity`` up to today's, oldest first."""
    current = period_of(granularity, today)
    found = [current]
    for _ in range(WINDOW[granularity] - 1):
        found.append(found[-1].previous())
    return found[::-1]


def _snapshots(
    membership: Membership,
    teams: list,
    granularity: str,
    since: dt.date,
    *,
    scope_type: str = ScopeType.TEAM,
    metrics=(*HEADLINE, *DRIVERS),
) -> dict:
    """{(team id, metric): {period start: snapshot}} in one query, as access_scores allows.
    ``scope_type`` and ``metrics`` let the organisation view read functions and the
    organisation itself the same way (``teams`` is then any objects with a ``pk``)."""
    rows = access_scores(membership=membership).filter(
        scope_type=scope_type,
        scope_id__in=[t.pk for t in teams],
        granularity=granularity,
        metric__in=list(metrics),
        period_start__gte=since,
    )
    # What the cards, charts and explanations read: a big window loads hundreds of rows.
    rows = rows.only(*SNAPSHOT_FIELDS)
    found: dict = {}
    for snapshot in rows:
        found.setdefault((snapshot.scope_id, snapshot.metric), {})[snapshot.period_start] = snapshot
    return found


def _latest(metric: str, by_period: dict) -> Score:
    if not by_period:
        return Score(metric=metric)
    latest = by_period[max(by_period)]
    previous = by_period.get(Period(latest.granularity, latest.period_start).previous().start)
    return Score(metric=metric, snapshot=latest, previous=previous)


def trends(teams: list[Team], found: dict, window: list[Period]) -> list[dict]:
    """One chart per headline metric: a line per team over the window; a missing or
    suppressed period is a gap (null), never a guess."""
    charts = []
    for metric in HEADLINE:
        series = []
        for team in teams:
            by_period = found.get((team.pk, metric), {})
            values = [_value(by_period.get(p.start)) for p in window]
            hidden = [bool(by_period.get(p.start) and by_period[p.start].suppressed) for p in window]
            cells = [{"value": v, "suppressed": h} for v, h in zip(values, hidden, strict=True)]
            series.append(
                {"team_id": team.pk, "team": team.name, "values": values, "suppressed": hidden, "cells": cells}
            )
        net = metric in scores.NET_SCORES
        charts.append(
            {
                "metric": metric,
                "label": scores.metric_label(metric),
                "scale": scores.scale(metric),
                "formula": scores.formula(metric),
                "hint": HINTS[metric],
                "json_id": f"chart-{metric}",
                "labels": [p.label for p in window],
                "series": series,
                "has_data": any(v is not None for s in series for v in s["values"]),
                "min": -100 if net else 0,
                "max": 100,
                "step": 50 if net else 20,
            }
        )
    return charts


def _value(snapshot: ScoreSnapshot | None) -> float | None:
    if snapshot is None or snapshot.suppressed or snapshot.value is None:
        return None
    return round(snapshot.value, 1)


def chart_data(chart: dict) -> dict:
    """A trend as static/js/dashboards.js draws it (any <canvas data-chart>)."""
    return {
        "type": "line",
        "labels": chart["labels"],
        "datasets": [{"label": s["team"], "data": s["values"]} for s in chart["series"]],
        "y": {"min": chart["min"], "max": chart["max"], "step": chart["step"], "title": chart["label"]},
        "gap": "not enough responses or no data",
    }


# --- Lists -----------------------------------------------------------------------------


def _counted(rows, limit: int) -> tuple[list, int]:
    # The list's full size rides along in the same query: a window function counts the
    # rows that match before LIMIT cuts them short.
    rows = list(rows.annotate(listed_total=Window(Count("pk")))[:limit])
    return rows, (rows[0].listed_total if rows else 0)


def sla_breaches(*, membership: Membership, team_ids: list[int], now, limit: int = LIST_LIMIT):
    """Handoffs to the teams still open past their SLA, oldest first, each with its age
    (two queries: the SLA is a snapshot per handoff with few distinct values)."""
    waiting = Handoff.objects.visible_to(membership).filter(
        Q(receiving_team_id__in=team_ids) | Q(to_team_id__in=team_ids), status=Handoff.Status.OPEN
    )
    late = Q(pk__in=[])
    for hours in waiting.order_by().values_list("sla_hours", flat=True).distinct():
        late |= Q(sla_hours=hours, created_at__lt=now - timedelta(hours=hours))
    rows = (
        waiting.filter(late)
        .select_related("account", "sender__user", "to_member__user", "to_team", "receiving_team")
        .order_by("created_at", "pk")
    )
    rows, total = _counted(rows, limit)
    for handoff in rows:
        handoff.age = now - handoff.created_at
        handoff.late_by = handoff.age - timedelta(hours=handoff.sla_hours)
    return rows, total


def detractor_follow_ups(*, membership: Membership, team_ids: list[int], now, limit: int = LIST_LIMIT):
    """Open follow-ups a detractor's feedback opened on the teams' accounts, oldest first."""
    rows = (
        FollowUp.objects.visible_to(membership)
        .filter(
            account__owning_team_id__in=team_ids,
            status__in=[FollowUp.Status.OPEN, FollowUp.Status.IN_PROGRESS],
            nps_feedback__in=NpsFeedback.objects.filter(detractors()).values("pk"),
        )
        .select_related("account__owning_team", "owner__user", "nps_feedback")
        .order_by("created_at", "pk")
    )
    rows, total = _counted(rows, limit)
    today = timezone.localdate(now, ZoneInfo(membership.organization.timezone))
    for follow_up in rows:
        follow_up.age = now - follow_up.created_at
        follow_up.overdue = bool(follow_up.due_date and follow_up.due_date < today)
    return rows, total


def recent_spotlights(*, membership: Membership, team_ids: list[int], limit: int = SPOTLIGHTS_SHOWN):
    wins = Win.objects.visible_to(membership).filter(team_id__in=team_ids).values("pk")
    return list(
        Spotlight.objects.filter(win__in=wins)
        .select_related("win__team", "win__author__user", "win__account", "by__user")
        .order_by("-created_at", "-pk")[:limit]
    )


def team_goals(*, membership: Membership, team_ids: list[int], today: dt.date):
    """The teams' goals still running (not achieved or missed, or not yet ended), each
    with its key results, in two queries."""
    key_results = Prefetch("key_results", queryset=KeyResult.objects.order_by("order", "pk"))
    return list(
        Goal.objects.visible_to(membership)
        .filter(team_id__in=team_ids)
        .filter(~Q(status__in=CLOSED_GOALS) | Q(period_end__gte=today))
        .select_related("team", "owner__user")
        .prefetch_related(key_results)
        .order_by("team__name", "period_end", "title", "pk")
    )


# --- The page --------------------------------------------------------------------------


def manager_dashboard(*, membership: Membership, granularity: str = Granularity.MONTH, now=None) -> dict:
    """Everything the manager dashboard shows, for its page and its API alike."""
    now = now or timezone.now()
    today = timezone.localdate(now, ZoneInfo(membership.organization.timezone))
    teams, all_teams = dashboard_teams(membership=membership)
    team_ids = [t.pk for t in teams]
    window = periods(granularity, today)
    found = _snapshots(membership, teams, granularity, window[0].start) if teams else {}
    boards = [
        TeamBoard(
            team=team,
            scores=[_latest(m, found.get((team.pk, m), {})) for m in HEADLINE],
            drivers=[_latest(m, found.get((team.pk, m), {})) for m in DRIVERS],
            commitments=_commitments(team),
        )
        for team in teams
    ]
    breaches, breach_total = sla_breaches(membership=membership, team_ids=team_ids, now=now)
    follow_ups, follow_up_total = detractor_follow_ups(membership=membership, team_ids=team_ids, now=now)
    return {
        "granularity": granularity,
        "granularity_label": PERIOD_NAMES[granularity],
        "all_teams": all_teams,
        "teams": boards,
        "periods": window,
        "trends": trends(teams, found, window),
        "drivers": [{"metric": m, "label": scores.metric_label(m)} for m in DRIVERS],
        "has_drivers": any(s.snapshot for b in boards for s in b.drivers),
        "breaches": breaches,
        "breach_total": breach_total,
        "follow_ups": follow_ups,
        "follow_up_total": follow_up_total,
        "spotlights": recent_spotlights(membership=membership, team_ids=team_ids),
        "goals": team_goals(membership=membership, team_ids=team_ids, today=today),
        "now": now,
    }
