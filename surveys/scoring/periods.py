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
