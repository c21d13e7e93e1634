"""The ways a recompute is asked for: the outbox's marks (after a save, and by the
sweep), or everything (the nightly repair, an admin's "recompute now")."""

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Organization
from outbox.models import DirtyScope
from surveys.scoring import engine
from surveys.scoring.periods import (
    GRANULARITIES,
    QUARTER,
    WEEK,
    period_of,
    spans_quarters,
    suppressed_together,
    touched,
)

# Marks read per pass: a burst of saves is folded into a few recomputes.
MARKS_PER_PASS = 10_000


def recompute_dirty(organization_id: int) -> int:
    """Recompute the periods the organisation's marks name, then delete those marks
    (marks written meanwhile stay for the next pass): everything where a mark says so (a
    round closed), feedback and daily work alone where that is all that changed. Safe
    to run twice at once: both write the same rows, and deleting a mark twice deletes it
    once. Returns how many marks it consumed."""
    marks = list(
        DirtyScope.objects.filter(organization_id=organization_id)
        .order_by("pk")
        .values_list("pk", "day", "kind")[:MARKS_PER_PASS]
    )
    if not marks:
        return 0
    organization = Organization.objects.get(pk=organization_id)
    everything = touched({day for _, day, kind in marks if kind != DirtyScope.Kind.ACTIVITY})
    if everything:
        engine.recompute(organization, everything)
    # Feedback and daily work alone are recomputed without the surveys, and only where
    # the recompute of everything did not already go.
    covered = suppressed_together(everything) if everything else set()
    activity = touched({day for _, day, kind in marks if kind == DirtyScope.Kind.ACTIVITY}) - covered
    if activity:
        engine.recompute_activity(organization, activity)
    DirtyScope.objects.filter(pk__in=[pk for pk, _, _ in marks]).delete()
    return len(marks)


def all_periods(organization: Organization, *, today: dt.date | None = None) -> list:
    """Every period from the organisation's first data to today, oldest first."""
    first = engine.first_day_of_data(organization)
    if first is None:
        return []
    today = today or timezone.localdate(timezone=ZoneInfo(organization.timezone))
    periods = set()
    for granularity in GRANULARITIES:
        period = period_of(granularity, today)
        while period.end > first:
            periods.add(period)
            period = period.previous()
    return sorted(periods, key=lambda p: (p.start, p.granularity))


def recompute_all(organization_id: int, *, progress=None) -> int:
    """Recompute every period of the organisation (the nightly repair). ``progress(done,
    total)`` is told after each chunk of periods. Returns how many snapshots it wrote."""
    organization = Organization.objects.get(pk=organization_id)
    periods = all_periods(organization)
    # A quarter at a time: its months and weeks are suppressed with it. A week lying in
    # two quarters is recomputed with each of them (``periods.suppressed_together``), so
    # it is not asked for on its own, which would bring in both quarters at once.
    by_quarter: dict = defaultdict(list)
    for period in periods:
        if not (period.granularity == WEEK and spans_quarters(period)):
            by_quarter[period_of(QUARTER, period.start)].append(period)
    written, done = 0, 0
    for quarter in sorted(by_quarter):
        written += engine.recompute(organization, by_quarter[quarter])
        done += len(by_quarter[quarter])
        if progress:
            progress(done, sum(len(chunk) for chunk in by_quarter.values()))
    return written
