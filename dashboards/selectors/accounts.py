"""Account health and accounts at risk (issue 13, point 5).

Who reads what is decided where it always is: the accounts are
``CustomerAccount.objects.in_full_for(membership)`` (admins: all; others: the accounts
of the teams they are on or manage), feedback comes through surveys' feedback
selectors, scores through ``surveys.access.access_scores`` (so suppression and role
rules hold), wins and handoffs through work's selectors.

Every risk reason is an annotation computed in SQL on the accounts queryset, so the
list costs the same few queries for one account or thousands:

- ``detractor``: an NPS or CSAT detractor answer received in the last 90 days;
- ``overdue``: an open or in-progress follow-up whose due day has passed (organisation
  time zone);
- ``falling_nps``: the account's NPS snapshot (scope account, granularity quarter) of
  this quarter is below the previous quarter's; suppressed or missing snapshots do not
  count;
- ``stale_contacts``: no contact whose notes were reviewed (``Contact.notes_reviewed_at``,
  else the day it was added, as customers' "needs review" does) in the last six
  months; an account without contacts counts too — nobody there is known.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import Membership
from customers.models import Contact, CustomerAccount, FollowUp
from customers.selectors import NOTES_REVIEW_AFTER
from dashboards.selectors.manager import explained
from surveys.access import access_scores
from surveys.models import NpsFeedback
from surveys.models.scores import Granularity, Metric, ScopeType
from surveys.scoring.periods import period_of
from surveys.selectors_feedback import account_trend, detractors, feedback_list
from surveys.selectors_scores import current_scores, explanation, metric_label, period_data
from teamhub.lib.tenancy import Role
from teams.models import Team
from teams.selectors import teams_on_or_managed
from work.models import Handoff
from work.selectors import account_handoffs, win_feed

DETRACTOR_WINDOW = dt.timedelta(days=90)
OPEN = [FollowUp.Status.OPEN, FollowUp.Status.IN_PROGRESS]
RISKS = {
    "detractor": "Detractor in the last 90 days",
    "overdue": "Overdue follow-ups",
    "falling_nps": "NPS falling this quarter",
    "stale_contacts": "No contact reviewed for six months",
}
SORTS = {
    "risk": ("-risk_count", "name", "pk"),
    "name": ("name", "pk"),
    "team": ("owning_team__name", "name", "pk"),
    "detractor": (F("last_detractor_at").desc(nulls_last=True), "name", "pk"),
    "overdue": ("-overdue_follow_ups", "name", "pk"),
    "nps": (F("nps_change").asc(nulls_last=True), "name", "pk"),
    "contacts": (F("last_contact_review").asc(nulls_first=True), "name", "pk"),
}
SORT_LABELS = {
    "risk": "Most reasons first",
    "name": "Account",
    "team": "Owning team",
    "detractor": "Latest detractor first",
    "overdue": "Most overdue follow-ups",
    "nps": "Largest NPS fall",
    "contacts": "Longest without a contact review",
}
SHOWN = 10
COMMENTS_SHOWN = 5
# The scores shown, by the name the page and the endpoint give them.
TEAM_METRICS = {"engagement": Metric.ENGAGEMENT, "collaboration": Metric.COLLABORATION}
ACCOUNT_METRICS = {
    "nps": Metric.NPS,
    "csat": Metric.CSAT,
    "first_response_median": Metric.FIRST_RESPONSE_MEDIAN,
    "resolution_median": Metric.RESOLUTION_MEDIAN,
}


def local_today(membership: Membership, now=None) -> dt.date:
    return timezone.localtime(now or timezone.now(), ZoneInfo(membership.organization.timezone)).date()


def _case(condition: Q):
    """1 where ``condition`` holds, else 0: a risk flag that sums into ``risk_count``."""
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _count(queryset):
    """A correlated COUNT(*) of ``queryset`` (already tied to OuterRef("pk")), 0 for none."""
    counted = queryset.order_by().values("account_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_risks(accounts, *, membership: Membership, now=None):
    """``accounts`` annotated with each risk reason (a 0/1 column per reason, named in
    ``RISKS``), the figures behind them, and ``risk_count``: one SQL query."""
    now = now or timezone.now()
    today = local_today(membership, now)
    quarter = period_of(Granularity.QUARTER, today)
    org_id = membership.organization_id
    follow_ups = FollowUp.objects.filter(account_id=OuterRef("pk"), status__in=OPEN)
    latest_detractor = (
        NpsFeedback.objects.for_org(org_id)
        .filter(detractors(), account_id=OuterRef("pk"), received_at__gte=now - DETRACTOR_WINDOW)
        .order_by("-received_at")
        .values("received_at")[:1]
    )
    # What the person may read of the account's scores: access_scores, as everywhere.
    nps = access_scores(membership=membership).filter(
        scope_type=ScopeType.ACCOUNT,
        scope_id=OuterRef("pk"),
        metric=Metric.NPS,
        granularity=Granularity.QUARTER,
        suppressed=False,
    )
    reviewed = (
        Contact.objects.filter(account_id=OuterRef("pk"))
        .annotate(reviewed=Coalesce("notes_reviewed_at", "created_at"))
        .order_by("-reviewed")
        .values("reviewed")[:1]
    )
    review_due = now - NOTES_REVIEW_AFTER
    accounts = accounts.annotate(
        open_follow_ups=_count(follow_ups),
        overdue_follow_ups=_count(follow_ups.filter(due_date__lt=today)),
        last_detractor_at=Subquery(latest_detractor),
        nps_now=Subquery(nps.filter(period_start=quarter.start).values("value")[:1]),
        nps_before=Subquery(nps.filter(period_start=quarter.previous().start).values("value")[:1]),
        last_contact_review=Subquery(reviewed),
    )
    accounts = accounts.annotate(
        nps_change=F("nps_now") - F("nps_before"),
        detractor=_case(Q(last_detractor_at__isnull=False)),
        overdue=_case(Q(overdue_follow_ups__gt=0)),
        falling_nps=_case(Q(nps_now__lt=F("nps_before"))),
        stale_contacts=_case(Q(last_contact_review__isnull=True) | Q(last_contact_review__lt=review_due)),
    )
    return accounts.annotate(risk_count=F("detractor") + F("overdue") + F("falling_nps") + F("stale_contacts"))


def team_choices(*, membership: Membership):
    """Teams whose accounts the person may read in full: the at-risk list's filter."""
    if membership.role == Role.ADMIN:
        return Team.objects.for_org(membership.organization_id).order_by("name")
    return teams_on_or_managed(membership=membership)


def at_risk_accounts(*, membership: Membership, team: Team | None = None, sort: str = "risk", now=None):
    """The accounts the person reads in full that have at least one risk reason, with
    their team and lead, sorted by one of ``SORTS`` (default: most reasons first)."""
    now = now or timezone.now()
    accounts = CustomerAccount.objects.in_full_for(membership).select_related("owning_team", "lead__user")
    if team is not None:
        accounts = accounts.filter(owning_team=team)
    accounts = with_risks(accounts, membership=membership, now=now).filter(any_risk(now=now))
    return accounts.order_by(*SORTS.get(sort, SORTS["risk"]))


def any_risk(*, now) -> Q:
    """At least one reason, on the raw figures: the database evaluates each correlated
    subquery once per account here, where ``risk_count > 0`` would repeat them all."""
    return (
        Q(last_detractor_at__isnull=False)
        | Q(overdue_follow_ups__gt=0)
        | Q(nps_now__lt=F("nps_before"))
        | Q(last_contact_review__isnull=True)
        | Q(last_contact_review__lt=now - NOTES_REVIEW_AFTER)
    )


def risk_reasons(account) -> list[str]:
    """The labels of an annotated account's risk reasons, in ``RISKS`` order."""
    return [label for name, label in RISKS.items() if getattr(account, name)]


# --- One account's health -------------------------------------------------------------------


@dataclass
class Score:
    """A score as the page shows it: the latest period's value (None when suppressed),
    the change since the period before, and how it was computed."""

    metric: str
    label: str
    snapshot: object
    change: float | None
    period: dict
    explanation: dict
    explained: dict  # what dashboards/partials/score_explain.html shows

    @property
    def suppressed(self) -> bool:
        return self.snapshot.suppressed

    @property
    def shown_change(self) -> int | None:
        """The change as the page prints it, a whole number (none: nothing to compare)."""
        return None if self.change is None else round(self.change)

    @property
    def change_size(self) -> int | None:
        return None if self.change is None else abs(round(self.change))


def _scores(membership, scope_type, scope_id, granularity, metrics: dict) -> dict[str, Score]:
    """The latest snapshot of each of ``metrics`` (name -> metric) the person may read."""
    try:
        latest = current_scores(
            membership=membership, scope_type=scope_type, scope_id=scope_id, granularity=granularity
        )
    except Http404:  # a scope the person may not read shows nothing, as the scores API
        return {}
    found = {}
    for current in latest:
        if current.metric in metrics.values():
            found[current.metric] = Score(
                metric=current.metric,
                label=metric_label(current.metric),
                snapshot=current.snapshot,
                change=current.change,
                period=period_data(current.snapshot),
                explanation=explanation(current.snapshot),
                explained=explained(current.snapshot),
            )
    return {name: found[metric] for name, metric in metrics.items() if metric in found}


def _open_follow_ups(account, today):
    return list(
        FollowUp.objects.filter(account=account, status__in=OPEN)
        .select_related("owner__user", "contact")
        .annotate(is_overdue=_case(Q(due_date__lt=today)))
        .order_by(F("due_date").asc(nulls_last=True), "created_at", "pk")[:SHOWN]
    )


def _handoff_counts(membership, account) -> dict:
    active = [Handoff.Status.OPEN, Handoff.Status.ACCEPTED]
    return (
        Handoff.objects.visible_to(membership)
        .filter(account=account)
        .aggregate(total=Count("pk"), active=Count("pk", filter=Q(status__in=active)))
    )


def account_health(*, membership: Membership, account: CustomerAccount, now=None) -> dict:
    """Everything the health page and endpoint show of one account the person reads in
    full (the caller checked that): a fixed number of queries whatever its history."""
    now = now or timezone.now()
    today = local_today(membership, now)
    risks = with_risks(CustomerAccount.objects.filter(pk=account.pk), membership=membership, now=now).get()
    wins = win_feed(membership=membership, account=account)
    return {
        "account": account,
        "risks": risks,
        "reasons": risk_reasons(risks),
        "trend": account_trend(membership=membership, account=account),
        "comments": list(feedback_list(membership=membership, account=account).exclude(comment="")[:COMMENTS_SHOWN]),
        "account_scores": _scores(membership, ScopeType.ACCOUNT, account.pk, Granularity.QUARTER, ACCOUNT_METRICS),
        "follow_ups": _open_follow_ups(account, today),
        "handoffs": account_handoffs(membership=membership, account=account, limit=SHOWN, now=now),
        "handoff_counts": _handoff_counts(membership, account),
        "wins": list(wins[:SHOWN]),
        "win_count": wins.order_by().count(),
        "team_scores": _scores(membership, ScopeType.TEAM, account.owning_team_id, Granularity.MONTH, TEAM_METRICS),
        "today": today,
    }
