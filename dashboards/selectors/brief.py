"""The meeting brief: what happened in one team or several over a date range.

The page, its PDF and the API read the same :class:`Brief`, built here in a fixed
number of queries whatever the teams and the rows (one per section, two for the
scores). Every section is read through its entity's own rule: handoffs through
``Handoff.objects.visible_to``, feedback and follow-ups through the accounts the
person reads in full, scores through ``surveys.access.access_scores`` — so a brief
never shows more than the pages it summarises.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import Membership
from customers.models import CustomerAccount
from dashboards.selectors.accounts import at_risk_accounts, risk_reasons
from dashboards.selectors.manager import explained
from surveys.access import access_scores
from surveys.models import NpsFeedback
from surveys.models.scores import Granularity, Metric, ScopeType
from surveys.scoring.periods import Period
from surveys.selectors_feedback import detractors
from surveys.selectors_scores import CurrentScore
from surveys.services.loop import DETRACTOR_AT_MOST
from teamhub.lib.tenancy import Role, has_role
from teams.models import CheckIn, Team
from work.models import Handoff, Spotlight, Win

DEFAULT_DAYS = 7
MAX_DAYS = 366
# The scores a meeting talks about, in the order the brief shows them.
BRIEF_METRICS = [Metric.ENGAGEMENT, Metric.COLLABORATION, Metric.NPS, Metric.ENPS, Metric.HANDOFF_SLA]


def briefable_teams(*, membership: Membership):
    """The teams a person may brief: admins every team of the organisation, managers
    the teams they manage, members none."""
    teams = Team.objects.for_org(membership.organization_id).order_by("name", "pk")
    if has_role(membership, Role.ADMIN):
        return teams
    if has_role(membership, Role.MANAGER):
        return teams.filter(managers=membership)
    return teams.none()


def default_range(*, membership: Membership, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last seven days, today included, in the organisation's time zone."""
    today = today or timezone.localdate(timezone=ZoneInfo(membership.organization.timezone))
    return today - dt.timedelta(days=DEFAULT_DAYS - 1), today


def granularity_for(date_from: dt.date, date_to: dt.date) -> str:
    """The score period that matches the range: weeks for a fortnight or less, months
    up to a quarter, quarters beyond."""
    days = (date_to - date_from).days + 1
    if days <= 14:
        return Granularity.WEEK
    return Granularity.MONTH if days <= 92 else Granularity.QUARTER


@dataclass
class TeamScores:
    team: Team
    scores: list[CurrentScore]


@dataclass
class Brief:
    teams: list[Team]
    date_from: dt.date
    date_to: dt.date
    granularity: str
    wins: list[Win] = field(default_factory=list)
    spotlights: list[Spotlight] = field(default_factory=list)
    handoffs_opened: list[Handoff] = field(default_factory=list)
    handoffs_late: list[Handoff] = field(default_factory=list)
    handoffs_returned: list[Handoff] = field(default_factory=list)
    check_ins: list[CheckIn] = field(default_factory=list)
    comments: list[NpsFeedback] = field(default_factory=list)
    detractors: list[NpsFeedback] = field(default_factory=list)
    accounts_at_risk: list[CustomerAccount] = field(default_factory=list)
    score_changes: list[TeamScores] = field(default_factory=list)

    @property
    def team_names(self) -> str:
        return ", ".join(team.name for team in self.teams)

    @property
    def handoff_sections(self) -> list[tuple[str, list[Handoff], str]]:
        """(title, handoffs, what an empty one says), in the order a meeting takes them."""
        return [
            ("Opened", self.handoffs_opened, "No handoffs sent or received in these days."),
            ("Late", self.handoffs_late, "None waited past its SLA."),
            ("Returned", self.handoffs_returned, "None came back."),
        ]

    @property
    def is_empty(self) -> bool:
        """Nothing happened in the range (accounts at risk are today's, so they do not count)."""
        sections = (self.wins, self.spotlights, self.handoffs_opened, self.handoffs_late, self.handoffs_returned)
        sections += (self.check_ins, self.comments, self.detractors)
        return not any(sections) and not any(row.scores for row in self.score_changes)


def meeting_brief(
    *, membership: Membership, teams, date_from: dt.date, date_to: dt.date, now: dt.datetime | None = None
) -> Brief:
    """The brief of ``teams`` (already checked against :func:`briefable_teams`) from
    ``date_from`` to ``date_to``, both whole days in the organisation's time zone."""
    teams = sorted(teams, key=lambda team: (team.name, team.pk))
    tz = ZoneInfo(membership.organization.timezone)
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    now = now or timezone.now()
    ids = [team.pk for team in teams]
    brief = Brief(teams=teams, date_from=date_from, date_to=date_to, granularity=granularity_for(date_from, date_to))
    if not ids:
        return brief
    brief.wins = _wins(membership, ids, start, end)
    brief.spotlights = _spotlights(membership, ids, start, end)
    _handoffs(brief, membership, ids, start, end, now)
    brief.check_ins = _check_ins(membership, ids, start, end)
    _feedback(brief, membership, ids, start, end)
    brief.accounts_at_risk = accounts_at_risk(membership=membership, team_ids=ids, now=now)
    brief.score_changes = _score_changes(membership, teams, brief.granularity, date_to)
    return brief


def _wins(membership, ids, start, end) -> list[Win]:
    return list(
        Win.objects.for_org(membership.organization_id)
        .filter(team__in=ids, created_at__gte=start, created_at__lt=end)
        .select_related("author__user", "team", "account", "spotlight")
        .prefetch_related("values")
        .order_by("-created_at", "-pk")
    )


def _spotlights(membership, ids, start, end) -> list[Spotlight]:
    """Spotlights given in the range, on wins of the teams (the win may be older)."""
    return list(
        Spotlight.objects.filter(
            win__organization_id=membership.organization_id,
            win__team__in=ids,
            created_at__gte=start,
            created_at__lt=end,
        )
        .select_related("win__team", "win__author__user", "win__account", "by__user")
        .prefetch_related("win__values")
        .order_by("-created_at", "-pk")
    )


def _handoffs(brief: Brief, membership, ids, start, end, now) -> None:
    """One read of the handoffs the teams sent or received that were opened or
    returned in the range, or are still waiting; each lands in the sections it fits.

    Late means not accepted within the SLA it was sent with: accepted after it, or
    still open past it at the end of the range (or now, if that is sooner)."""
    teams = Q(sender_team__in=ids) | Q(receiving_team__in=ids) | Q(to_team__in=ids)
    wanted = (
        Q(created_at__gte=start, created_at__lt=end)
        | Q(status=Handoff.Status.RETURNED, closed_at__gte=start, closed_at__lt=end)
        | Q(status=Handoff.Status.OPEN, created_at__lt=end)
    )
    rows = (
        Handoff.objects.visible_to(membership)
        .filter(teams, wanted)
        .select_related("account", "sender__user", "sender_team", "to_member__user", "to_team", "receiving_team")
        .order_by("-created_at", "-pk")
    )
    as_of = min(now, end)
    for handoff in rows:
        sla = dt.timedelta(hours=handoff.sla_hours)
        waited_until = handoff.accepted_at or (as_of if handoff.status == Handoff.Status.OPEN else None)
        handoff.waited_hours = None
        if waited_until is not None:
            handoff.waited_hours = max(0, round((waited_until - handoff.created_at).total_seconds() / 3600))
        if start <= handoff.created_at < end:
            brief.handoffs_opened.append(handoff)
        if waited_until is not None and waited_until - handoff.created_at > sla and waited_until >= start:
            brief.handoffs_late.append(handoff)
        returned = handoff.status == Handoff.Status.RETURNED
        if returned and handoff.closed_at and start <= handoff.closed_at < end:
            brief.handoffs_returned.append(handoff)


def _check_ins(membership, ids, start, end) -> list[CheckIn]:
    return list(
        CheckIn.objects.for_org(membership.organization_id)
        .filter(key_result__goal__team__in=ids, created_at__gte=start, created_at__lt=end)
        .select_related("key_result__goal__team", "author__user")
        .order_by("-created_at", "-pk")
    )


def _feedback(brief: Brief, membership, ids, start, end) -> None:
    """Customer feedback that arrived in the range while the teams owned the account:
    the comments, and every detractor with the follow-up it opened."""
    rows = (
        NpsFeedback.objects.visible_to(membership)
        .filter(organization_id=membership.organization_id, team__in=ids, received_at__gte=start, received_at__lt=end)
        .filter(~Q(comment="") | detractors())
        .select_related("account", "contact", "team", "follow_up__owner__user")
        .order_by("-received_at", "-pk")
    )
    for feedback in rows:
        feedback.is_detractor_row = feedback.score <= DETRACTOR_AT_MOST.get(feedback.kind, -1)
        if feedback.comment:
            brief.comments.append(feedback)
        if feedback.is_detractor_row:
            brief.detractors.append(feedback)


def accounts_at_risk(*, membership: Membership, team_ids, now) -> list[CustomerAccount]:
    """The teams' accounts at risk today, by the dashboards' one rule
    (dashboards.selectors.accounts), each with ``reasons`` in words."""
    rows = list(at_risk_accounts(membership=membership, now=now).filter(owning_team__in=team_ids))
    for account in rows:
        account.reasons = risk_reasons(account)
    return rows


def _score_changes(membership, teams, granularity: str, date_to: dt.date) -> list[TeamScores]:
    """For each team and brief metric, the latest period starting by the range's end,
    and the change since the period before: two queries for all the teams."""
    snapshots = access_scores(membership=membership).filter(
        scope_type=ScopeType.TEAM,
        scope_id__in=[team.pk for team in teams],
        granularity=granularity,
        metric__in=BRIEF_METRICS,
    )
    latest = (
        snapshots.filter(period_start__lte=date_to)
        .order_by()
        .values("scope_id", "metric")
        .annotate(latest=Max("period_start"))
        .values_list("scope_id", "metric", "latest")
    )
    latest = {(scope_id, metric): start for scope_id, metric, start in latest}
    rows = {}
    if latest:
        starts = set(latest.values())
        starts |= {Period(granularity, start).previous().start for start in starts}
        rows = {(s.scope_id, s.metric, s.period_start): s for s in snapshots.filter(period_start__in=starts)}
    order = {metric: index for index, metric in enumerate(BRIEF_METRICS)}
    changes = []
    for team in teams:
        scores = []
        for (scope_id, metric), start in latest.items():
            if scope_id != team.pk or (scope_id, metric, start) not in rows:
                continue
            previous = rows.get((scope_id, metric, Period(granularity, start).previous().start))
            score = CurrentScore(metric=metric, snapshot=rows[(scope_id, metric, start)], previous=previous)
            score.explain = explained(score.snapshot)  # "how is this computed", from the row alone
            scores.append(score)
        scores.sort(key=lambda score: order[score.metric])
        changes.append(TeamScores(team=team, scores=scores))
    return changes
