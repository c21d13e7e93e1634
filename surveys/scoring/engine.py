"""The scoring engine: recompute an organisation's snapshots for given periods.

For each granularity, every source counts in SQL over the touched periods (grouped by
scope and period, one pass per source table) and hands back figures; the survey-based
ones are suppressed as the anonymity rules say (below the threshold, and the complement
rule over the teams and over the functions of the organisation); collaboration is then
combined from its components; and the snapshots of those periods are upserted, with
any the data no longer supports removed — in one transaction, so a reader sees the old
figures or the new ones, and a recompute run twice at once writes the same rows.

Suppression runs over the whole organisation, so a recompute always covers every scope
of the organisation for a period: one team's new answer can change whether a sibling
is shown. And a quarter, its months and their weeks add up, so they are suppressed
together, and a recompute of one covers them all (``periods.suppressed_together``).
"""

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization
from surveys import formulas
from surveys.models.scores import Metric
from surveys.scoring import correlation, feedback, pulse, store
from surveys.scoring.figures import FUNCTION, ORG, PAIR, TEAM, Figure
from surveys.scoring.periods import (
    MONTH,
    QUARTER,
    WEEK,
    Period,
    period_of,
    spans_quarters,
    straddles,
    suppressed_together,
)
from teamhub.lib.dblocks import database_lock_waiting

# The sources of figures, each ``figures(organization, granularity, start, end)``.
SOURCES = [pulse.figures, correlation.figures, feedback.figures]
# Those of survey-based figures (suppressed), which a straddling week is counted by in parts.
SURVEY_SOURCES = (pulse.figures, correlation.figures)
# Figures a source hands over for collaboration only: combined, never stored alone.
COMPONENT_PREFIX = "component."
COLLABORATION_SURVEY = Metric.FAVOURABLE_COLLABORATION


def register_source(source) -> None:
    """A module of figures (daily work's handoffs and follow-ups) adds itself here."""
    if source not in SOURCES:
        SOURCES.append(source)


def suppress(
    figures: list[Figure], threshold: int, week_parts: dict | None = None, always_hidden: Iterable[tuple] = ()
) -> tuple[list[Figure], set[tuple]]:
    """(the figures, the keys of those to store as suppressed).

    Survey-based figures are published in lines that add up: in each period the teams
    (and the "no team" group) sum to the organisation, and so do the functions; over
    time a quarter's three months sum to the quarter, and a month's weeks to the month,
    for every scope — a week that straddles two months in its parts on either side,
    ``week_parts`` (``(scope type, scope id, metric, week start, month start)`` to
    respondents, from ``week_parts_of``). In each line a hidden figure must not come back
    by subtraction — the complement rule — and a hidden total must not come back by
    addition. Hiding one figure can oblige another line to hide more, so the rules run
    until nothing changes (hiding only ever grows, so this ends).

    ``always_hidden``: figures hidden before any line is looked at (a week with answers
    in two quarters, ``quarter_spanning``)."""
    groups: dict = defaultdict(dict)
    for figure in figures:
        if figure.survey_based:
            groups[(figure.metric, figure.granularity, figure.period_start, figure.scope_type)][figure.scope_id] = (
                figure.sample_size
            )
    # Figures hidden only as a precaution conceal what shares a line with them, but
    # need no protection of their own: the lines take them as never published.
    precaution = set(always_hidden)
    hidden = _below_organisation_threshold(groups, threshold)
    while True:
        found = (
            _within_periods(groups, threshold, hidden, precaution)
            | _across_months(groups, threshold, hidden)
            | _across_weeks(groups, week_parts or {}, threshold, hidden, precaution)
        )
        if found <= hidden:
            return figures, hidden | precaution
        hidden |= found


def quarter_spanning(weeks: Iterable[Period], parts: dict, months: set) -> tuple[set, set]:
    """(weeks whose survey figures are hidden, weeks not to write) among the weeks that
    lie in two quarters. Each quarter is recomputed on its own (``runs.recompute_all``),
    and such a week takes part in a month of each: with survey answers on both sides it
    cannot be checked against both months at once, so its survey figures are hidden —
    the same in every recompute, as the answers decide it. With answers on one side
    only, it belongs to that month's line, and a recompute that does not hold that
    month (``months``) leaves the week to the one that does."""
    hidden, unwritten = set(), set()
    for week in weeks:
        if not spans_quarters(week):
            continue
        sides = {month for (_, _, _, start, month), n in parts.items() if start == week.start and n > 0}
        if len(sides) > 1:
            hidden.add(week.start)
        elif sides and not sides <= months:
            unwritten.add(week.start)
    return hidden, unwritten


def _below_organisation_threshold(groups: dict, threshold: int) -> set[tuple]:
    """An organisation with fewer than ``threshold`` respondents in a period hides every
    survey figure of the period, its own and every team's and function's."""
    hidden = set()
    for (metric, granularity, start, scope_type), counts in groups.items():
        if scope_type not in (ORG, TEAM, FUNCTION):
            continue
        if sum(groups.get((metric, granularity, start, ORG), {}).values()) < threshold:
            hidden |= {(scope_type, scope_id, metric, granularity, start) for scope_id in counts}
    return hidden


def _within_periods(groups: dict, threshold: int, hidden: set[tuple], precaution: set[tuple]) -> set[tuple]:
    """Teams, and functions, as partitions of the organisation in one period (with the
    "no team" and "no function" groups, never published)."""
    found = set()
    for (metric, granularity, start, scope_type), counts in groups.items():
        if scope_type not in (TEAM, FUNCTION):
            continue

        def key(scope_id, scope_type=scope_type, metric=metric, granularity=granularity, start=start):
            return (scope_type, scope_id, metric, granularity, start)

        already = {scope_id for scope_id in counts if key(scope_id) in hidden}
        if scope_type == FUNCTION:
            # A function that cuts a shown team by a few people is hidden too: the two
            # breakdowns' snapshots can be read side by side (surveys.results does the same).
            teams = groups.get((metric, granularity, start, TEAM), {})
            hidden_teams = formulas.suppressed(
                teams, threshold, {t for t in teams if (TEAM, t, metric, granularity, start) in hidden}
            )
            shown_teams = {t: n for t, n in teams.items() if t not in hidden_teams}
            pairs = groups.get((metric, granularity, start, PAIR), {})
            already |= formulas.overlapping(shown_teams, counts, pairs, threshold)
        organisation = [
            (ORG, org_id, metric, granularity, start) for org_id in groups.get((metric, granularity, start, ORG), {})
        ]
        hidden_ids, parent_too = formulas.line_suppressed(
            counts,
            threshold,
            already,
            parent_hidden=any(org in hidden or org in precaution for org in organisation),
            unpublished={None} | {scope_id for scope_id in counts if key(scope_id) in precaution},
        )
        found |= {key(scope_id) for scope_id in hidden_ids if scope_id is not None}
        if parent_too:
            found |= set(organisation)
    return found


def _across_months(groups: dict, threshold: int, hidden: set[tuple]) -> set[tuple]:
    """A quarter's months as a partition of the quarter, for each scope and metric: a
    quarter shown with one small month hidden would give that month away as the quarter
    minus the other two (their counts are in the snapshots' components)."""
    lines: dict = defaultdict(dict)
    for (metric, granularity, start, scope_type), counts in groups.items():
        if granularity != MONTH or scope_type not in (ORG, TEAM, FUNCTION):
            continue
        quarter = period_of(QUARTER, start).start
        for scope_id, n in counts.items():
            if scope_id is not None:
                lines[(scope_type, scope_id, metric, quarter)][start] = n
    found = set()
    for (scope_type, scope_id, metric, quarter), months in lines.items():
        quarter_key = (scope_type, scope_id, metric, QUARTER, quarter)
        hidden_months, parent_too = formulas.line_suppressed(
            months,
            threshold,
            {start for start in months if (scope_type, scope_id, metric, MONTH, start) in hidden},
            parent_hidden=quarter_key in hidden,
        )
        found |= {(scope_type, scope_id, metric, MONTH, start) for start in hidden_months}
        if parent_too:
            found.add(quarter_key)
    return found


def _across_weeks(
    groups: dict, week_parts: dict, threshold: int, hidden: set[tuple], precaution: set[tuple]
) -> set[tuple]:
    """A month's weeks as a partition of the month, for each scope and metric: a month
    shown with one week's stragglers hidden would give them away as the month minus
    the other weeks. A week that straddles two months takes part in each with the
    respondents it has there, and is hidden as a whole."""
    lines: dict = defaultdict(dict)
    for (metric, granularity, start, scope_type), counts in groups.items():
        if granularity != WEEK or scope_type not in (ORG, TEAM, FUNCTION):
            continue
        week = Period(WEEK, start)
        second_month = straddles(week)
        for scope_id, n in counts.items():
            if scope_id is None:
                continue
            if second_month is None:
                lines[(scope_type, scope_id, metric, start.replace(day=1))][start] = n
            else:
                for month in (start.replace(day=1), second_month):
                    lines[(scope_type, scope_id, metric, month)][start] = week_parts.get(
                        (scope_type, scope_id, metric, start, month), 0
                    )
    found = set()
    for (scope_type, scope_id, metric, month), weeks in lines.items():
        month_key = (scope_type, scope_id, metric, MONTH, month)
        if scope_id not in groups.get((metric, MONTH, month, scope_type), {}):
            continue  # the month is not being recomputed (or has no figure): nothing to add up to
        hidden_weeks, parent_too = formulas.line_suppressed(
            weeks,
            threshold,
            {start for start in weeks if (scope_type, scope_id, metric, WEEK, start) in hidden},
            parent_hidden=month_key in hidden,
            unpublished={start for start in weeks if (scope_type, scope_id, metric, WEEK, start) in precaution},
        )
        # A straddling week with nobody on this side is no part of this month's line.
        found |= {(scope_type, scope_id, metric, WEEK, start) for start in hidden_weeks if weeks[start] > 0}
        if parent_too:
            found.add(month_key)
    return found


def week_parts_of(organization: Organization, weeks: Iterable[Period]) -> dict:
    """Respondents of each straddling week on either side of its change of month, per
    scope and survey metric: each side counted by the survey sources as a week of its own."""
    parts: dict = {}
    for week in weeks:
        boundary = straddles(week)
        if boundary is None:
            continue
        for start, end, month in ((week.start, boundary, week.start.replace(day=1)), (boundary, week.end, boundary)):
            for source in SURVEY_SOURCES:
                for figure in source(organization, WEEK, start, end):
                    if figure.survey_based and figure.period_start == week.start:
                        parts[(figure.scope_type, figure.scope_id, figure.metric, week.start, month)] = (
                            figure.sample_size
                        )
    return parts


def _weights(organization: Organization) -> dict[str, float]:
    return {name: float(weight) for name, weight in organization.collaboration_weights.items()}


def combine_collaboration(figures: list[Figure], hidden: set[tuple], organization: Organization) -> list[Figure]:
    """Collaboration per team and for the organisation: the weighted mean of the
    components present — the survey's collaboration driver (when shown), and the
    components daily work hands over — with the organisation's weights renormalised."""
    weights = _weights(organization)
    parts: dict = defaultdict(dict)
    for figure in figures:
        if figure.scope_type not in (ORG, TEAM) or figure.scope_id is None:
            continue
        key = (figure.scope_type, figure.scope_id, figure.granularity, figure.period_start)
        if figure.metric == COLLABORATION_SURVEY and figure.key not in hidden and figure.value is not None:
            parts[key]["survey"] = figure
        elif figure.metric.startswith(COMPONENT_PREFIX) and figure.value is not None:
            parts[key][figure.metric.removeprefix(COMPONENT_PREFIX)] = figure
    combined = []
    for (scope_type, scope_id, granularity, start), present in parts.items():
        values = {name: part.value for name, part in present.items()}
        value = formulas.weighted_mean(values, weights)
        if value is None:
            continue
        used = {name: weights.get(name, 0) for name in values if weights.get(name, 0) > 0}
        total = sum(used.values())
        components = {
            name: {
                "value": part.value,
                "weight": weights.get(name, 0),
                "share": used.get(name, 0) / total if total else 0,
                **part.components,
            }
            for name, part in present.items()
        }
        components["missing"] = sorted(set(weights) - set(present))
        sample = sum(part.sample_size for part in present.values())
        combined.append(
            Figure(scope_type, scope_id, Metric.COLLABORATION, granularity, start, value, sample, components)
        )
    return combined


def _rows(
    figures: list[Figure], hidden: set[tuple], organization: Organization, now, spanning: set[tuple] = frozenset()
) -> list[tuple]:
    """The snapshots to store, as rows of ``store.COLUMNS`` (plain tuples: a large
    organisation has a million of them, and model instances would cost more than the
    counting)."""
    rows = []
    org_id = organization.pk
    hidden_components = json.dumps({"suppressed": f"fewer than {organization.anonymity_threshold} respondents"})
    across_quarters = json.dumps({"suppressed": "answers on both sides of a change of quarter"})
    for figure in figures:
        if figure.scope_id is None or figure.scope_type == PAIR or figure.metric.startswith(COMPONENT_PREFIX):
            continue  # the no-team group, team-function pairs and components are never stored
        suppressed = figure.key in hidden
        if figure.value is None and not suppressed:
            continue  # a figure with no value (a correlation where nothing varied) says nothing
        head = (org_id, figure.scope_type, figure.scope_id, figure.metric, figure.granularity, figure.period_start)
        if suppressed:
            reason = across_quarters if figure.key in spanning else hidden_components
            rows.append((*head, None, None, True, reason, now))
        else:
            rows.append((*head, figure.value, figure.sample_size, False, json.dumps(figure.components), now))
    return rows


def recompute(organization: Organization, periods: Iterable[Period], *, now=None) -> int:
    """Recompute every snapshot of the organisation in ``periods``. Returns how many
    snapshots it computed (those unchanged are left as they are).

    One recompute of an organisation at a time (others wait): the figures are read and
    written under one lock, so an older reading can never be written after a newer one,
    nor delete the snapshots a newer one added."""
    with database_lock_waiting(f"scores.recompute:{organization.pk}"):
        return _recompute(organization, periods, now=now)


def _by_granularity(periods: Iterable[Period]) -> dict[str, list[Period]]:
    found: dict[str, list[Period]] = defaultdict(list)
    for period in periods:
        found[period.granularity].append(period)
    return found


def _count(organization: Organization, by_granularity: dict, sources) -> list[Figure]:
    """Every figure the sources give for the periods: one pass per granularity over the
    span of its periods, keeping those of the periods asked for."""
    figures: list[Figure] = []
    for granularity, wanted in by_granularity.items():
        starts = {period.start for period in wanted}
        start, end = min(starts), max(period.end for period in wanted)
        for source in sources:
            figures += [f for f in source(organization, granularity, start, end) if f.period_start in starts]
    return figures


def _recompute(organization: Organization, periods: Iterable[Period], *, now=None) -> int:
    by_granularity = _by_granularity(suppressed_together(periods))
    figures = _count(organization, by_granularity, SOURCES)
    weeks = by_granularity.get(WEEK, [])
    parts = week_parts_of(organization, weeks)
    two_sided, unwritten = quarter_spanning(weeks, parts, {period.start for period in by_granularity.get(MONTH, ())})
    if unwritten:
        by_granularity[WEEK] = [week for week in weeks if week.start not in unwritten]
        figures = [f for f in figures if not (f.granularity == WEEK and f.period_start in unwritten)]
    spanning = {f.key for f in figures if f.survey_based and f.granularity == WEEK and f.period_start in two_sided}
    figures, hidden = suppress(figures, organization.anonymity_threshold, parts, spanning)
    figures += combine_collaboration(figures, hidden, organization)
    now = now or timezone.now()
    rows = _rows(figures, hidden, organization, now, spanning)
    with transaction.atomic():
        # What the data no longer supports (its last answer moved to another period) goes.
        store.replace(
            organization.pk,
            {granularity: sorted(period.start for period in wanted) for granularity, wanted in by_granularity.items()},
            rows,
        )
    return len(rows)


# What the survey sources compute (collaboration is combined from them and daily work).
SURVEY_METRICS = frozenset(
    {Metric.ENGAGEMENT, Metric.ENPS, Metric.RESPONSE_RATE}
    | {metric for metric in Metric if metric.startswith(("favourable.", "correlation."))}
)


def recompute_activity(organization: Organization, periods: Iterable[Period], *, now=None) -> int:
    """Recompute what customer feedback and daily work give in ``periods`` — NPS, CSAT,
    handoffs, follow-ups, wins and so collaboration — and nothing of the surveys: their
    answers count once a round closes (a recompute of everything then), so their stored
    figures stand, and the survey part of collaboration is read from them. Nothing here
    is suppressed, so the periods need no neighbours. Returns the snapshots computed."""
    with database_lock_waiting(f"scores.recompute:{organization.pk}"):
        return _recompute_activity(organization, periods, now=now)


def _recompute_activity(organization: Organization, periods: Iterable[Period], *, now=None) -> int:
    by_granularity = _by_granularity(set(periods))
    figures = _count(organization, by_granularity, [s for s in SOURCES if s not in SURVEY_SOURCES])
    survey_parts = _stored_survey_collaboration(organization, by_granularity)
    figures += combine_collaboration(figures + survey_parts, set(), organization)
    rows = _rows(figures, set(), organization, now or timezone.now())
    with transaction.atomic():
        store.replace(
            organization.pk,
            {granularity: sorted(period.start for period in wanted) for granularity, wanted in by_granularity.items()},
            rows,
            keep_metrics=SURVEY_METRICS,
        )
    return len(rows)


def _stored_survey_collaboration(organization: Organization, by_granularity: dict) -> list[Figure]:
    """The collaboration driver's shown snapshots of the periods, as the figures the
    survey source made them from (its components are the counts it kept)."""
    from surveys.models import ScoreSnapshot

    found = []
    for granularity, wanted in by_granularity.items():
        for row in ScoreSnapshot.objects.filter(
            organization=organization,
            metric=COLLABORATION_SURVEY,
            granularity=granularity,
            period_start__in=[period.start for period in wanted],
            scope_type__in=[ORG, TEAM],
            suppressed=False,
        ).values_list("scope_type", "scope_id", "period_start", "value", "sample_size", "components"):
            scope_type, scope_id, start, value, sample, components = row
            found.append(
                Figure(scope_type, scope_id, COLLABORATION_SURVEY, granularity, start, value, sample, components, True)
            )
    return found


def first_day_of_data(organization: Organization) -> dt.date | None:
    """The earliest local day any source has data for: where a full recompute starts."""
    from surveys.models import NpsFeedback, Response, SurveyInvitation

    days = [
        Response.objects.filter(organization=organization)
        .order_by("submitted_on")
        .values_list("submitted_on", flat=True)
        .first()
    ]
    # Response rates count in the periods rounds opened in, which can come before any answer.
    first_opening = (
        SurveyInvitation.objects.filter(round__organization=organization)
        .order_by("round__opens_at")
        .values_list("round__opens_at", flat=True)
        .first()
    )
    if first_opening is not None:
        days.append(timezone.localtime(first_opening, ZoneInfo(organization.timezone)).date())
    first_feedback = NpsFeedback.objects.filter(organization=organization).order_by("received_at").first()
    if first_feedback is not None:
        days.append(timezone.localtime(first_feedback.received_at, ZoneInfo(organization.timezone)).date())
    for earliest in EARLIEST_DAY_FINDERS:
        days.append(earliest(organization))
    days = [day for day in days if day is not None]
    return min(days) if days else None


# Sources with data of their own say where it starts: ``earliest(organization) -> date | None``.
EARLIEST_DAY_FINDERS: list = []
