"""Daily work's figures: handoff SLA attainment, collaboration's work components
(responsiveness, follow-through, breadth) and follow-up turnaround, per organisation,
team and (turnaround) customer account, counted in SQL. None is survey-based: nothing
here is suppressed.

Per granularity, handoffs are counted in one grouped query — by period, the sending
and the receiving team, with conditional counts — wins in one more, and follow-ups in
one (their percentiles: window ranks on SQLite and PostgreSQL alike, or PostgreSQL's
ordered-set aggregates over grouping sets when the connection is PostgreSQL). The rows
that come back are counts per group, summed here into the team and organisation
figures.

The definitions (DESIGN.md, Scores):

- **Handoff SLA attainment** (and ``component.responsiveness``, the same figure): of
  the handoffs a team received (``Handoff.receiving_team``) that were sent in the
  period, the share accepted within their SLA — the work app's rule
  (``work.services.handoffs.is_breached``): accepted no later than ``sla_hours`` after
  it was sent, so one accepted exactly at its SLA is within it. Handoffs never
  accepted (still open, declined, cancelled) count as not accepted within the SLA.
- **Follow-through**: see ``_follow_through``.
- **Breadth**: see ``_breadth``.
- **Turnaround**: for follow-ups created in the period, counted for ``FollowUp.team``
  (the team that had the account when the need arrived), for their account and for
  the organisation: the median and the 90th percentile, in hours, of the time to the
  first response and to resolution — defined as on the customers' turnaround page
  (``customers.selectors``): the median of an even count is the mean of the two middle
  values, and the 90th percentile is the nearest rank, the ⌈0.9 n⌉-th smallest.
"""

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    DurationField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    Window,
)
from django.db.models.expressions import ExpressionWrapper
from django.db.models.functions import Cast, RowNumber, TruncMonth, TruncQuarter, TruncWeek
from django.utils import timezone

from customers.models import FollowUp
from surveys import formulas
from surveys.models.scores import Metric
from surveys.scoring.figures import ACCOUNT, ORG, TEAM, Figure, fetch, local_start
from surveys.scoring.periods import MONTH, QUARTER, WEEK
from teams.models import TeamMembership
from work.models import Handoff, Win

TRUNC = {WEEK: TruncWeek, MONTH: TruncMonth, QUARTER: TruncQuarter}
RESPONSIVENESS = "component.responsiveness"
FOLLOW_THROUGH = "component.follow_through"
BREADTH = "component.breadth"
HANDOFF_COUNTS = ("handoffs", "within_sla", "accepted", "completed", "returned", "in_progress", "cancelled")
MEASURES = ("response", "resolution")
TURNAROUND_METRICS = {
    ("response", "median"): Metric.FIRST_RESPONSE_MEDIAN,
    ("response", "p90"): Metric.FIRST_RESPONSE_P90,
    ("resolution", "median"): Metric.RESOLUTION_MEDIAN,
    ("resolution", "p90"): Metric.RESOLUTION_P90,
}
# PostgreSQL's percentile_disc(f) is the value at rank ceil(f * n), computed in floating
# point: at 0.9 that is the nearest rank ⌈9 n / 10⌉ (checked equal for every n below two
# million), where percentile_cont(0.9) would interpolate between two ranks.
P90_FRACTION = 0.9


def _by_local_period(granularity: str, field: str, zone, start, end) -> dict:
    return {
        "period": TRUNC[granularity](field, output_field=DateField(), tzinfo=zone),
        "range": {f"{field}__gte": local_start(start, zone), f"{field}__lt": local_start(end, zone)},
    }


# --- Handoffs and wins ------------------------------------------------------------------


def _handoff_counts(organization, granularity: str, start, end) -> list[dict]:
    """Handoffs sent in each period, per (sending team, receiving team)."""
    zone = ZoneInfo(organization.timezone)
    local = _by_local_period(granularity, "created_at", zone, start, end)
    status = Handoff.Status
    # The work app's SLA rule: accepted no later than sla_hours after it was sent.
    deadline = ExpressionWrapper(
        F("created_at")
        + ExpressionWrapper(
            Cast("sla_hours", IntegerField()) * Value(dt.timedelta(hours=1)), output_field=DurationField()
        ),
        output_field=DateTimeField(),
    )
    accepted = Q(accepted_at__isnull=False)
    return fetch(
        Handoff.objects.filter(organization=organization, **local["range"])
        .annotate(period=local["period"], deadline=deadline)
        .values("period", "sender_team_id", "receiving_team_id")
        .annotate(
            handoffs=Count("pk"),
            within_sla=Count("pk", filter=accepted & Q(accepted_at__lte=F("deadline"))),
            accepted=Count("pk", filter=accepted),
            completed=Count("pk", filter=accepted & Q(status=status.COMPLETED)),
            returned=Count("pk", filter=accepted & Q(status=status.RETURNED)),
            in_progress=Count("pk", filter=accepted & Q(status=status.ACCEPTED)),
            cancelled=Count("pk", filter=accepted & Q(status=status.CANCELLED)),
        )
        .order_by()
    )


def _win_counts(organization, granularity: str, start, end) -> list[dict]:
    """Wins in each period per team, and those with a collaborator not on the team."""
    zone = ZoneInfo(organization.timezone)
    local = _by_local_period(granularity, "created_at", zone, start, end)
    on_the_team = TeamMembership.objects.filter(
        team_id=OuterRef(OuterRef("team_id")), membership_id=OuterRef("membership_id")
    )
    outsider = Win.collaborators.through.objects.filter(win_id=OuterRef("pk")).filter(~Exists(on_the_team))
    return fetch(
        Win.objects.filter(organization=organization, **local["range"])
        .annotate(period=local["period"])
        .values("period", "team_id")
        .annotate(wins=Count("pk"), crossing=Count("pk", filter=Exists(outsider)))
        .order_by()
    )


def _crosses(row: dict) -> bool:
    """A handoff crosses team lines when it went from one known team to another."""
    sender, receiver = row["sender_team_id"], row["receiving_team_id"]
    return sender is not None and receiver is not None and sender != receiver


def _handoff_totals(rows: list[dict]) -> tuple[dict, dict]:
    """(counts per (scope type, scope id, period) of what each team received — and all
    of the organisation's —, and breadth counts of each team's handoffs — sent or
    received, once each — and of the organisation's)."""
    received: dict = defaultdict(lambda: dict.fromkeys(HANDOFF_COUNTS, 0))
    breadth: dict = defaultdict(lambda: {"wins": 0, "wins_crossing": 0, "handoffs": 0, "handoffs_crossing": 0})
    for row in rows:
        period, crossing = row["period"], row["handoffs"] if _crosses(row) else 0
        for scope in ((ORG, None), (TEAM, row["receiving_team_id"])):
            bucket = received[(*scope, period)]
            for name in HANDOFF_COUNTS:
                bucket[name] += row[name]
        teams = {row["sender_team_id"], row["receiving_team_id"]} - {None}
        for scope in ((ORG, None), *((TEAM, team_id) for team_id in teams)):
            bucket = breadth[(*scope, period)]
            bucket["handoffs"] += row["handoffs"]
            bucket["handoffs_crossing"] += crossing
    return received, breadth


def _follow_through(counts: dict) -> tuple[float | None, int, dict]:
    """Follow-through: of the handoffs the team accepted (sent in the period), the share
    completed rather than dropped. Only the accepted handoffs that reached the team's
    outcome count: *completed* (followed through) or *returned* (dropped: handed back
    after taking it on). Those still *accepted* are not finished yet, and those the
    sender *cancelled* after acceptance were withdrawn, not dropped: neither counts
    either way, and both are kept in the components."""
    outcomes = counts["completed"] + counts["returned"]
    components = {
        "accepted": counts["accepted"],
        "completed": counts["completed"],
        "returned": counts["returned"],
        "in_progress": counts["in_progress"],
        "cancelled": counts["cancelled"],
    }
    return (formulas.percent(counts["completed"], outcomes) if outcomes else None), outcomes, components


def _breadth(counts: dict) -> tuple[float | None, int, dict]:
    """Breadth: of the team's wins (``Win.team``) and handoffs (sent by it or received
    by it, each once) in the period, the share that crosses team lines — a win with a
    collaborator who is not on the win's team, a handoff from one team to another (a
    handoff whose sender or receiver had no team does not cross: there is no other
    team). For the organisation: all its wins and handoffs, each once."""
    items = counts["wins"] + counts["handoffs"]
    crossing = counts["wins_crossing"] + counts["handoffs_crossing"]
    return (formulas.percent(crossing, items) if items else None), items, {"crossing": crossing, **counts}


# --- Follow-up turnaround ---------------------------------------------------------------

TURNAROUND_SCOPES = {TEAM: "team_id", ACCOUNT: "account_id", ORG: None}


def _follow_ups(organization, granularity: str, start, end):
    """The organisation's follow-ups created in [start, end), with their period and
    their times to first response and to resolution (None when there is none)."""
    zone = ZoneInfo(organization.timezone)
    local = _by_local_period(granularity, "created_at", zone, start, end)
    return (
        FollowUp.objects.filter(account__organization=organization, **local["range"])
        .annotate(
            period=local["period"],
            response=ExpressionWrapper(F("first_response_at") - F("created_at"), output_field=DurationField()),
            resolution=ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField()),
        )
        .order_by()
    )


def _hours(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 3600


def turnaround_portable(organization, granularity: str, start, end) -> dict:
    """{(scope type, scope id, period): counts and percentiles} — with window functions
    (SQLite and PostgreSQL): each follow-up is ranked by each time within its period
    and team, account and organisation, and only the rows at the median's and the 90th
    percentile's ranks come back (at most three per group and time)."""
    rows = _follow_ups(organization, granularity, start, end)
    annotations, picked = {}, Q()
    for scope, key in TURNAROUND_SCOPES.items():
        partition = [F("period")] + ([F(key)] if key else [])
        annotations[f"{scope}_received"] = Window(Count("pk"), partition_by=partition)
        for measure in MEASURES:
            name = f"{scope}_{measure}"
            annotations[f"{name}_rank"] = Window(
                RowNumber(), partition_by=partition, order_by=[F(measure).asc(nulls_last=True), F("pk").asc()]
            )
            annotations[f"{name}_n"] = Window(Count(measure), partition_by=partition)
            n = F(f"{name}_n")
            picked |= Q(**{f"{name}_rank__lte": n}) & (
                Q(**{f"{name}_rank": (n + 1) / 2})
                | Q(**{f"{name}_rank": (n + 2) / 2})
                | Q(**{f"{name}_rank": (9 * n + 9) / 10})  # ⌈0.9 n⌉
            )
    ranked = (
        rows.annotate(**annotations).filter(picked).values("period", "team_id", "account_id", *MEASURES, *annotations)
    )
    found: dict = {}
    for row in ranked:
        for scope, key in TURNAROUND_SCOPES.items():
            scope_id = row[key] if key else None
            if key and scope_id is None:
                continue
            group = found.setdefault(
                (scope, scope_id, row["period"]),
                {"received": row[f"{scope}_received"], "medians": defaultdict(dict)},
            )
            for measure in MEASURES:
                n, rank, value = row[f"{scope}_{measure}_n"], row[f"{scope}_{measure}_rank"], row[measure]
                group[_counted(measure)] = n
                if value is None or rank > n:
                    continue
                if rank in ((n + 1) // 2, (n + 2) // 2):
                    group["medians"][measure][rank] = _hours(value)
                if rank == (9 * n + 9) // 10:
                    group[f"{measure}_p90"] = _hours(value)
    for group in found.values():
        middles = group.pop("medians")
        for measure in MEASURES:
            values = list(middles.get(measure, {}).values())
            group[f"{measure}_median"] = sum(values) / len(values) if values else None
            group.setdefault(f"{measure}_p90", None)
    return found


def _counted(measure: str) -> str:
    return {"response": "responded", "resolution": "resolved"}[measure]


def turnaround_postgresql(organization, granularity: str, start, end) -> dict:
    """The same as ``turnaround_portable``, with PostgreSQL's ordered-set aggregates in
    one grouped pass over grouping sets (period and team, period and account, period):
    ``percentile_cont(0.5)`` is the median (the mean of the two middle values of an
    even count), ``percentile_disc`` at 0.9 the nearest rank."""
    inner = _follow_ups(organization, granularity, start, end).values("period", "team_id", "account_id", *MEASURES)
    sql, params = inner.query.sql_with_params()
    seconds = {measure: f"EXTRACT(EPOCH FROM f.{measure})::float8 / 3600.0" for measure in MEASURES}
    aggregates = ", ".join(
        f"COUNT(f.{measure}), "
        f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {seconds[measure]}), "
        f"percentile_disc({P90_FRACTION!r}) WITHIN GROUP (ORDER BY {seconds[measure]})"
        for measure in MEASURES
    )
    columns = "CAST(f.period AS date), f.team_id, f.account_id, GROUPING(f.team_id), GROUPING(f.account_id), COUNT(*)"
    grouping = "GROUPING SETS ((f.period, f.team_id), (f.period, f.account_id), (f.period))"
    # The ORM's own SQL, wrapped: every value in it stays a parameter.
    query = f"SELECT {columns}, {aggregates} FROM ({sql}) AS f GROUP BY {grouping}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        results = cursor.fetchall()
    found: dict = {}
    for period, team_id, account_id, no_team, no_account, received, *figures in results:
        if not no_team:
            scope, scope_id = TEAM, team_id
        elif not no_account:
            scope, scope_id = ACCOUNT, account_id
        else:
            scope, scope_id = ORG, None
        if scope_id is None and scope != ORG:
            continue  # follow-ups of no team: never stored
        (responded, response_median, response_p90, resolved, resolution_median, resolution_p90) = figures
        if not responded and not resolved:
            continue  # as the portable path: no time to rank, no group
        found[(scope, scope_id, period)] = {
            "received": received,
            "responded": responded,
            "resolved": resolved,
            "response_median": response_median,
            "response_p90": response_p90,
            "resolution_median": resolution_median,
            "resolution_p90": resolution_p90,
        }
    return found


def turnaround(organization, granularity: str, start, end) -> dict:
    if connection.vendor == "postgresql":
        return turnaround_postgresql(organization, granularity, start, end)
    return turnaround_portable(organization, granularity, start, end)


# --- The source ---------------------------------------------------------------------------


def figures(organization, granularity: str, start, end) -> list[Figure]:
    """Every daily-work figure of the organisation for the periods of ``granularity``
    starting in [start, end)."""
    found = []

    def add(scope_type, scope_id, metric, period, value, sample_size, components):
        if value is None or (scope_type != ORG and scope_id is None):
            return  # no data, or the group of no team: nothing to store
        scope_id = organization.pk if scope_type == ORG else scope_id
        found.append(Figure(scope_type, scope_id, metric, granularity, period, value, sample_size, components))

    received, breadth = _handoff_totals(_handoff_counts(organization, granularity, start, end))
    for row in _win_counts(organization, granularity, start, end):
        for scope in ((ORG, None), (TEAM, row["team_id"])):
            bucket = breadth[(*scope, row["period"])]
            bucket["wins"] += row["wins"]
            bucket["wins_crossing"] += row["crossing"]
    for (scope_type, scope_id, period), counts in received.items():
        sla = {
            "received": counts["handoffs"],
            "within_sla": counts["within_sla"],
            "not_within_sla": counts["handoffs"] - counts["within_sla"],
        }
        attainment = formulas.percent(counts["within_sla"], counts["handoffs"]) if counts["handoffs"] else None
        add(scope_type, scope_id, Metric.HANDOFF_SLA, period, attainment, counts["handoffs"], sla)
        add(scope_type, scope_id, RESPONSIVENESS, period, attainment, counts["handoffs"], sla)
        add(scope_type, scope_id, FOLLOW_THROUGH, period, *_follow_through(counts))
    for (scope_type, scope_id, period), counts in breadth.items():
        add(scope_type, scope_id, BREADTH, period, *_breadth(counts))
    for (scope_type, scope_id, period), group in turnaround(organization, granularity, start, end).items():
        components = {name: group[name] for name in ("received", "responded", "resolved")}
        for (measure, statistic), metric in TURNAROUND_METRICS.items():
            add(
                scope_type,
                scope_id,
                metric,
                period,
                group[f"{measure}_{statistic}"],
                group[_counted(measure)],
                {**components, "statistic": statistic, "unit": "hours"},
            )
    return found


def earliest_day(organization) -> dt.date | None:
    """The organisation's first local day with a handoff, a win or a follow-up."""
    zone = ZoneInfo(organization.timezone)
    moments = [
        Handoff.objects.filter(organization=organization)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first(),
        Win.objects.filter(organization=organization)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first(),
        FollowUp.objects.filter(account__organization=organization)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first(),
    ]
    days = [timezone.localtime(moment, zone).date() for moment in moments if moment is not None]
    return min(days) if days else None
