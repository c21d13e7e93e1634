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
is shown.
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
from surveys.scoring.periods import Period
from teamhub.lib.dblocks import database_lock_waiting

# The sources of figures, each ``figures(organization, granularity, start, end)``.
SOURCES = [pulse.figures, correlation.figures, feedback.figures]
# Figures a source hands over for collaboration only: combined, never stored alone.
COMPONENT_PREFIX = "component."
COLLABORATION_SURVEY = Metric.FAVOURABLE_COLLABORATION


def register_source(source) -> None:
    """A module of figures (daily work's handoffs and follow-ups) adds itself here."""
    if source not in SOURCES:
        SOURCES.append(source)


def suppress(figures: list[Figure], threshold: int) -> tuple[list[Figure], set[tuple]]:
    """(the figures, the keys of those to store as suppressed). Survey-based figures of
    an organisation with fewer than ``threshold`` respondents hide everything under it;
    below, teams and functions are each a partition of the organisation, with the
    "no team" and "no function" groups, and the complement rule applies within each."""
    hidden: set[tuple] = set()
    groups: dict = defaultdict(dict)
    for figure in figures:
        if figure.survey_based:
            groups[(figure.metric, figure.granularity, figure.period_start, figure.scope_type)][figure.scope_id] = (
                figure.sample_size
            )
    for (metric, granularity, start, scope_type), counts in groups.items():
        if scope_type not in (ORG, TEAM, FUNCTION):
            continue
        org_total = sum(groups.get((metric, granularity, start, ORG), {}).values())
        if scope_type == ORG:
            if org_total < threshold:
                hidden |= {(ORG, scope_id, metric, granularity, start) for scope_id in counts}
            continue
        if org_total < threshold:
            hidden_ids = set(counts)
        elif scope_type == TEAM:
            hidden_ids = formulas.suppressed(counts, threshold)
        else:
            # A function that cuts a shown team by a few people is hidden too: the two
            # breakdowns' snapshots can be read side by side (surveys.results does the same).
            teams = groups.get((metric, granularity, start, TEAM), {})
            hidden_teams = formulas.suppressed(teams, threshold)
            shown_teams = {t: n for t, n in teams.items() if t not in hidden_teams}
            pairs = groups.get((metric, granularity, start, PAIR), {})
            cut = formulas.overlapping(shown_teams, counts, pairs, threshold)
            hidden_ids = formulas.suppressed(counts, threshold, cut)
        hidden |= {(scope_type, scope_id, metric, granularity, start) for scope_id in hidden_ids}
    return figures, hidden


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


def _rows(figures: Iterable[Figure], hidden: set[tuple], organization: Organization, now) -> list[tuple]:
    """The snapshots to store, as rows of ``store.COLUMNS`` (plain tuples: a large
    organisation has a million of them, and model instances would cost more than the
    counting)."""
    rows = []
    org_id = organization.pk
    hidden_components = json.dumps({"suppressed": f"fewer than {organization.anonymity_threshold} respondents"})
    for figure in figures:
        if figure.scope_id is None or figure.scope_type == PAIR or figure.metric.startswith(COMPONENT_PREFIX):
            continue  # the no-team group, team-function pairs and components are never stored
        suppressed = figure.key in hidden
        if figure.value is None and not suppressed:
            continue  # a figure with no value (a correlation where nothing varied) says nothing
        head = (org_id, figure.scope_type, figure.scope_id, figure.metric, figure.granularity, figure.period_start)
        if suppressed:
            rows.append((*head, None, None, True, hidden_components, now))
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


def _recompute(organization: Organization, periods: Iterable[Period], *, now=None) -> int:
    by_granularity: dict[str, list[Period]] = defaultdict(list)
    for period in set(periods):
        by_granularity[period.granularity].append(period)
    figures: list[Figure] = []
    for granularity, wanted in by_granularity.items():
        starts = {period.start for period in wanted}
        start, end = min(starts), max(period.end for period in wanted)
        for source in SOURCES:
            figures += [f for f in source(organization, granularity, start, end) if f.period_start in starts]
    figures, hidden = suppress(figures, organization.anonymity_threshold)
    figures += combine_collaboration(figures, hidden, organization)
    now = now or timezone.now()
    rows = _rows(figures, hidden, organization, now)
    with transaction.atomic():
        # What the data no longer supports (its last answer moved to another period) goes.
        store.replace(
            organization.pk,
            {granularity: sorted(period.start for period in wanted) for granularity, wanted in by_granularity.items()},
            rows,
        )
    return len(rows)


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
