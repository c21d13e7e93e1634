"""When a survey's rounds open, remind and close, in the organisation's time zone, and
which questions each round asks."""

import calendar
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from surveys.models import Survey

# The longest a round may stay open, per cadence: it must close before the next opens.
MAX_OPEN_DAYS = {
    Survey.Cadence.ONCE: 60,
    Survey.Cadence.WEEKLY: 6,
    Survey.Cadence.BIWEEKLY: 13,
    Survey.Cadence.MONTHLY: 27,
    Survey.Cadence.QUARTERLY: 60,
}
MONTHS = {Survey.Cadence.MONTHLY: 1, Survey.Cadence.QUARTERLY: 3}
DAYS = {Survey.Cadence.WEEKLY: 7, Survey.Cadence.BIWEEKLY: 14}


@dataclass(frozen=True)
class Timing:
    opens_at: dt.datetime
    remind_at: dt.datetime
    closes_at: dt.datetime


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def opening_day(survey: Survey, number: int) -> dt.date:
    """The day round ``number`` (from 1) opens: the first day, then one cadence apart
    (a monthly pulse started on the 31st opens on the last day of shorter months)."""
    steps = number - 1
    if survey.cadence in MONTHS:
        return _add_months(survey.first_opens_on, MONTHS[survey.cadence] * steps)
    return survey.first_opens_on + dt.timedelta(days=DAYS.get(survey.cadence, 0) * steps)


def timing(survey: Survey, number: int, zone: ZoneInfo) -> Timing:
    """Round ``number``'s moments. Local wall-clock times, so a pulse that opens at nine
    opens at nine in summer and winter alike. The reminder goes a day before closing
    (halfway, for a round open a single day)."""
    opens_at = dt.datetime.combine(opening_day(survey, number), survey.opens_at, tzinfo=zone)
    closes_at = dt.datetime.combine(opens_at.date() + dt.timedelta(days=survey.open_days), survey.opens_at, tzinfo=zone)
    before_close = closes_at - dt.timedelta(days=1)
    remind_at = before_close if before_close > opens_at else opens_at + (closes_at - opens_at) / 2
    return Timing(opens_at, remind_at, closes_at)


def questions_for_round(survey: Survey, questions: list, number: int) -> list:
    """The questions round ``number`` asks, in order. With a limit per round, the
    questions take turns: round 1 asks the first ``limit``, round 2 the next, wrapping
    round, so everyone sees every question before one repeats. The eNPS question is
    asked every round and does not count towards the limit."""
    limit = survey.questions_per_round
    enps = [q for q in questions if q.is_enps]
    others = [q for q in questions if not q.is_enps]
    if not limit or limit >= len(others) or not survey.is_recurring:
        return others + enps
    start = ((number - 1) * limit) % len(others)
    turn = [others[(start + i) % len(others)] for i in range(limit)]
    return sorted(turn, key=lambda q: (q.order, q.pk)) + enps
