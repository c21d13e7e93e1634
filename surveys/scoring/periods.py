"""The periods scores are kept for — ISO week, month, quarter — as local days of the
organisation's time zone, and which of them new data can change.

A period is named by its first day. Data arriving on a day changes exactly one period
of each granularity: the week, month and quarter holding that day, so a recompute
touches those and nothing else.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

WEEK, MONTH, QUARTER = "week", "month", "quarter"
GRANULARITIES = (WEEK, MONTH, QUARTER)


@dataclass(frozen=True, order=True)
class Period:
    granularity: str
    start: dt.date

    @property
    def end(self) -> dt.date:
        """The first day after the period."""
        if self.granularity == WEEK:
            return self.start + dt.timedelta(days=7)
        months = 1 if self.granularity == MONTH else 3
        year, month = divmod(self.start.month - 1 + months, 12)
        return dt.date(self.start.year + year, month + 1, 1)

    def previous(self) -> "Period":
        if self.granularity == WEEK:
            return Period(WEEK, self.start - dt.timedelta(days=7))
        return period_of(self.granularity, self.start - dt.timedelta(days=1))

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    @property
    def label(self) -> str:
        if self.granularity == WEEK:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.granularity == MONTH:
            return self.start.strftime("%Y-%m")
        return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"


def period_of(granularity: str, day: dt.date) -> Period:
    """The period of ``granularity`` holding ``day`` (a local day)."""
    if granularity == WEEK:
        return Period(WEEK, day - dt.timedelta(days=day.weekday()))
    if granularity == MONTH:
        return Period(MONTH, day.replace(day=1))
    if granularity == QUARTER:
        return Period(QUARTER, dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1))
    raise ValueError(f"Unknown granularity {granularity!r}")


def touched(days: Iterable[dt.date], granularities: Iterable[str] = GRANULARITIES) -> set[Period]:
    """Every period the given days fall in: the only ones their data can change."""
    return {period_of(granularity, day) for day in days for granularity in granularities}


def months_of(period: Period) -> set[Period]:
    """The months a period lies in: one for a month, three for a quarter, one or two for a
    week (a week straddles two months when they change between its Monday and Sunday)."""
    if period.granularity == QUARTER:
        return {Period(MONTH, period.start.replace(month=period.start.month + offset)) for offset in range(3)}
    return {period_of(MONTH, period.start), period_of(MONTH, period.end - dt.timedelta(days=1))}


def weeks_of(month: Period) -> set[Period]:
    """The weeks that share at least one day with a month."""
    week = period_of(WEEK, month.start)
    found = set()
    while week.start < month.end:
        found.add(week)
        week = Period(WEEK, week.end)
    return found


def straddles(week: Period) -> dt.date | None:
    """The first day of the second month a week lies in, or None when it lies in one."""
    last = week.end - dt.timedelta(days=1)
    return last.replace(day=1) if last.month != week.start.month else None


def spans_quarters(week: Period) -> bool:
    """Whether a week lies in two quarters (its days change quarter)."""
    boundary = straddles(week)
    return boundary is not None and boundary.month in (1, 4, 7, 10)


def suppressed_together(periods: Iterable[Period]) -> set[Period]:
    """The periods, with those suppressed together with them: survey figures of a
    quarter and its months add up, and so do a month's and its weeks' (a straddling week
    in part), so hiding one can oblige hiding another, and a recompute of one must see
    them all — the quarters of every month and week asked for, their months, and every
    week of those months. (Further along, obligations are rare; the nightly full
    recompute sees everything.)"""
    found = set(periods)
    months = {month for period in found for month in months_of(period)}
    quarters = {period_of(QUARTER, month.start) for month in months}
    months |= {month for quarter in quarters for month in months_of(quarter)}
    weeks = {week for month in months for week in weeks_of(month)}
    return found | months | quarters | weeks
