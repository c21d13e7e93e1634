"""Reads of score snapshots for the scores API and of the admins' recompute runs.

What a person may read is decided once, in surveys.access.access_scores; everything
here narrows that queryset and explains the rows. A suppressed snapshot is explained
without its value, its sample size or any count: only why it is hidden.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, Q

from accounts.models import Membership
from surveys.access import access_scores
from surveys.models import ScoreRun, ScoreSnapshot
from surveys.models.scores import Granularity, Metric
from surveys.scoring.periods import Period

RUNS_SHOWN = 10
NOT_ENOUGH = "Not enough responses to show it without revealing anyone's answers."

_FAVOURABLE = (
    "Percent favourable on the {driver} statements: the share of answers of 4 or 5 on their 1-5 scale, over "
    "the responses submitted in the period by the scope's people."
)
_FOLLOW_UP = (
    "The {statistic} of the hours from a follow-up's opening to its {event}, over the follow-ups of the period."
)

_CORRELATION = (
    "How closely {driver} moves with engagement: Pearson's r, from -1 to 1, between each response's mean answer "
    "on the engagement statements and its mean answer on the {driver} statements, across the period's responses "
    "of the scope. Near 1: people who rate {driver} higher are more engaged."
)

# What each metric is, in plain words (DESIGN.md, Scores). A metric added later without
# an entry here is explained by its name.
FORMULAS = {
    Metric.ENGAGEMENT: (
        "Percent favourable: the share of answers of 4 or 5 on the 1-5 statements of the engagement driver, over "
        "the responses submitted in the period by the scope's people."
    ),
    Metric.FAVOURABLE_COLLABORATION: _FAVOURABLE.format(driver="collaboration"),
    Metric.FAVOURABLE_VALUES: _FAVOURABLE.format(driver="values"),
    Metric.FAVOURABLE_ROLE_CLARITY: _FAVOURABLE.format(driver="role clarity"),
    Metric.FAVOURABLE_RECOGNITION: _FAVOURABLE.format(driver="recognition"),
    Metric.FAVOURABLE_ENABLEMENT: _FAVOURABLE.format(driver="enablement"),
    Metric.FAVOURABLE_CUSTOMER_FOCUS: _FAVOURABLE.format(driver="customer focus"),
    Metric.FAVOURABLE_GROWTH: _FAVOURABLE.format(driver="growth"),
    Metric.ENPS: (
        'Employee NPS: the percent of 9s and 10s minus the percent of 0s to 6s on "how likely are you to recommend '
        'working here" (0-10), from -100 to 100.'
    ),
    Metric.RESPONSE_RATE: "The percent of the period's survey invitations that were answered.",
    Metric.NPS: (
        "Customer NPS: the percent of promoters (9-10) minus the percent of detractors (0-6) in the customer "
        "feedback received in the period, from -100 to 100. A team's NPS counts the feedback on the accounts it "
        "owned when the feedback arrived."
    ),
    Metric.CSAT: "CSAT, top-two-box: the percent of satisfaction answers of 4 or 5 on the 1-5 scale.",
    Metric.COLLABORATION: (
        "The weighted mean of the components present - the survey's collaboration statements, responsiveness "
        "(handoffs accepted within the SLA), follow-through (accepted handoffs completed) and breadth (work "
        "crossing team lines) - with the organisation's weights; a missing component drops out and the weights "
        "of the others are renormalised."
    ),
    Metric.HANDOFF_SLA: (
        "The percent of the handoffs received in the period that were accepted within the organisation's handoff SLA."
    ),
    Metric.FIRST_RESPONSE_MEDIAN: _FOLLOW_UP.format(statistic="median", event="first response"),
    Metric.FIRST_RESPONSE_P90: _FOLLOW_UP.format(statistic="90th percentile", event="first response"),
    Metric.RESOLUTION_MEDIAN: _FOLLOW_UP.format(statistic="median", event="resolution"),
    Metric.RESOLUTION_P90: _FOLLOW_UP.format(statistic="90th percentile", event="resolution"),
    **{
        metric: _CORRELATION.format(driver=metric.label.removesuffix(", with engagement").lower())
        for metric in Metric
        if metric.value.startswith("correlation.")
    },
}
NET_SCORES = {Metric.ENPS, Metric.NPS}
ORDER = {metric: index for index, metric in enumerate(Metric.values)}


def metric_label(metric: str) -> str:
    try:
        return Metric(metric).label
    except ValueError:
        return metric


def formula(metric: str) -> str:
    return FORMULAS.get(metric, f"{metric_label(metric)}.")


def scale(metric: str) -> str:
    if metric in NET_SCORES:
        return "-100 to 100"
    if metric.startswith("follow_up."):
        return "hours"
    if metric.startswith("correlation."):
        return "-1 to 1"
    return "0 to 100"


def period_data(snapshot: ScoreSnapshot) -> dict:
    """The snapshot's period: its first and last day (included) and its name."""
    period = Period(snapshot.granularity, snapshot.period_start)
    return {"start": period.start, "end": period.end - dt.timedelta(days=1), "label": period.label}


def snapshot_list(
    *,
    membership: Membership,
    scope_type: str | None = None,
    scope_id: int | None = None,
    metric: str | None = None,
    granularity: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
):
    """Snapshots the person may read, newest period first. ``date_from`` and ``date_to``
    take the periods starting on those days or between them."""
    snapshots = access_scores(membership=membership, scope_type=scope_type, scope_id=scope_id)
    if metric:
        snapshots = snapshots.filter(metric=metric)
    if granularity:
        snapshots = snapshots.filter(granularity=granularity)
    if date_from:
        snapshots = snapshots.filter(period_start__gte=date_from)
    if date_to:
        snapshots = snapshots.filter(period_start__lte=date_to)
    return snapshots.order_by("-period_start", "scope_type", "scope_id", "metric", "granularity", "pk")


@dataclass
class CurrentScore:
    metric: str
    snapshot: ScoreSnapshot
    previous: ScoreSnapshot | None

    @property
    def change(self) -> float | None:
        """Since the previous period: none when either side is missing or suppressed."""
        if self.previous is None or self.snapshot.value is None or self.previous.value is None:
            return None
        return round(self.snapshot.value - self.previous.value, 4)


def current_scores(
    *, membership: Membership, scope_type: str, scope_id: int, granularity: str = Granularity.MONTH
) -> list[CurrentScore]:
    """For each metric of the scope, its latest period's snapshot (among those the person
    may read) and the one of the period before, in two queries whatever the history."""
    snapshots = access_scores(membership=membership, scope_type=scope_type, scope_id=scope_id).filter(
        granularity=granularity
    )
    latest = dict(
        snapshots.order_by().values("metric").annotate(latest=Max("period_start")).values_list("metric", "latest")
    )
    if not latest:
        return []
    wanted = Q()
    for metric, start in latest.items():
        previous = Period(granularity, start).previous().start
        wanted |= Q(metric=metric, period_start__in=[start, previous])
    rows = {(s.metric, s.period_start): s for s in snapshots.filter(wanted)}
    found = [
        CurrentScore(
            metric=metric,
            snapshot=rows[(metric, start)],
            previous=rows.get((metric, Period(granularity, start).previous().start)),
        )
        for metric, start in latest.items()
        if (metric, start) in rows
    ]
    return sorted(found, key=lambda score: (ORDER.get(score.metric, len(ORDER)), score.metric))


def explanation(snapshot: ScoreSnapshot) -> dict:
    """How the score was computed, from its row alone. A suppressed one says only why."""
    if snapshot.suppressed:
        components = {"suppressed": snapshot.components.get("suppressed") or NOT_ENOUGH}
    else:
        components = snapshot.components
    return {
        "formula": formula(snapshot.metric),
        "scale": scale(snapshot.metric),
        "components": components,
    }


def score_run_list(*, membership: Membership):
    """The organisation's latest recompute runs, newest first (admins only: the page's)."""
    return (
        ScoreRun.objects.for_org(membership.organization_id)
        .select_related("requested_by__user")
        .order_by("-created_at", "-pk")[:RUNS_SHOWN]
    )
