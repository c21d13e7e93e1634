"""Periods of scores: ISO weeks, months and quarters, named by their first day."""

import datetime as dt

import pytest

from surveys.scoring.periods import MONTH, QUARTER, WEEK, Period, period_of, touched

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
