"""Periods of scores: ISO weeks, months and quarters, named by their first day."""

import datetime as dt

import pytest

from surveys.scoring.periods import (
    MONTH,
    QUARTER,
    WEEK,
    Period,
    months_of,
    period_of,
    spans_quarters,
    straddles,
    suppressed_together,
    touched,
    weeks_of,
)

D = dt.date


@pytest.mark.parametrize(
    ("granularity", "day", "start", "end", "label"),
    [
        (WEEK, D(2026, 12, 3), D(2026, 11, 30), D(2026, 12, 7), "2026-W49"),
        (WEEK, D(2026, 11, 30), D(2026, 11, 30), D(2026, 12, 7), "2026-W49"),  # a Monday starts its week
        (WEEK, D(2026, 12, 6), D(2026, 11, 30), D(2026, 12, 7), "2026-W49"),  # a Sunday ends it
        (WEEK, D(2027, 1, 1), D(2026, 12, 28), D(2027, 1, 4), "2026-W53"),  # ISO year differs from the calendar's
        (MONTH, D(2026, 12, 31), D(2026, 12, 1), D(2027, 1, 1), "2026-12"),
        (MONTH, D(2028, 2, 29), D(2028, 2, 1), D(2028, 3, 1), "2028-02"),
        (QUARTER, D(2026, 12, 31), D(2026, 10, 1), D(2027, 1, 1), "2026-Q4"),
        (QUARTER, D(2026, 1, 1), D(2026, 1, 1), D(2026, 4, 1), "2026-Q1"),
        (QUARTER, D(2026, 6, 30), D(2026, 4, 1), D(2026, 7, 1), "2026-Q2"),
    ],
)
def test_period_of_a_day(granularity, day, start, end, label):
    period = period_of(granularity, day)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert period.contains(day) and not period.contains(end) and not period.contains(start - dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (Period(WEEK, D(2027, 1, 4)), Period(WEEK, D(2026, 12, 28))),
        (Period(MONTH, D(2027, 1, 1)), Period(MONTH, D(2026, 12, 1))),
        (Period(MONTH, D(2026, 3, 1)), Period(MONTH, D(2026, 2, 1))),
        (Period(QUARTER, D(2027, 1, 1)), Period(QUARTER, D(2026, 10, 1))),
    ],
)
def test_the_previous_period(period, previous):
    assert period.previous() == previous


def test_days_touch_one_period_of_each_granularity_each():
    periods = touched([D(2026, 12, 31), D(2027, 1, 1)])
    assert periods == {
        Period(WEEK, D(2026, 12, 28)),  # both days: one week
        Period(MONTH, D(2026, 12, 1)),
        Period(MONTH, D(2027, 1, 1)),
        Period(QUARTER, D(2026, 10, 1)),
        Period(QUARTER, D(2027, 1, 1)),
    }
    assert touched([]) == set()


def test_an_unknown_granularity_is_refused():
    with pytest.raises(ValueError, match="Unknown granularity"):
        period_of("year", D(2026, 1, 1))


def test_a_week_lies_in_one_month_or_straddles_two():
    inside, across_months, across_quarters = (
        Period(WEEK, dt.date(2026, 11, 9)),
        Period(WEEK, dt.date(2026, 11, 30)),
        Period(WEEK, dt.date(2026, 9, 28)),
    )
    assert straddles(inside) is None and months_of(inside) == {Period(MONTH, dt.date(2026, 11, 1))}
    assert straddles(across_months) == dt.date(2026, 12, 1) and not spans_quarters(across_months)
    assert months_of(across_months) == {Period(MONTH, dt.date(2026, 11, 1)), Period(MONTH, dt.date(2026, 12, 1))}
    assert straddles(across_quarters) == dt.date(2026, 10, 1) and spans_quarters(across_quarters)
    # A month's weeks: every week sharing a day with it, Monday 29 June to Monday 27 July.
    july = weeks_of(Period(MONTH, dt.date(2026, 7, 1)))
    assert sorted(week.start for week in july) == [dt.date(2026, 6, 29) + dt.timedelta(weeks=n) for n in range(5)]


def test_periods_suppressed_together_are_a_quarter_its_months_and_their_weeks():
    day = dt.date(2026, 11, 11)
    together = suppressed_together({period_of(WEEK, day)})
    assert {p for p in together if p.granularity == QUARTER} == {Period(QUARTER, dt.date(2026, 10, 1))}
    assert {p.start for p in together if p.granularity == MONTH} == {dt.date(2026, m, 1) for m in (10, 11, 12)}
    weeks = sorted(p.start for p in together if p.granularity == WEEK)
    assert weeks[0] == dt.date(2026, 9, 28) and weeks[-1] == dt.date(2026, 12, 28)
    # A week across a change of quarter brings both quarters.
    across = suppressed_together({Period(WEEK, dt.date(2026, 9, 28))})
    assert {p.start for p in across if p.granularity == QUARTER} == {dt.date(2026, 7, 1), dt.date(2026, 10, 1)}
