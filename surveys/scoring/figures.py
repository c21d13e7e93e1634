"""What a source of scores hands the engine: figures, one per scope, metric and period,
before suppression. The engine suppresses, combines and stores them."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connection

from surveys.models.scores import ScopeType

ORG, TEAM, FUNCTION, ACCOUNT = ScopeType.ORGANIZATION, ScopeType.TEAM, ScopeType.FUNCTION, ScopeType.ACCOUNT
# The respondents of one team in one function: a figure used by suppression, never stored.
PAIR = "pair"


@dataclass(frozen=True)
class Figure:
    """One computed figure. ``scope_id`` None is the group of those with no team (or no
    function): it takes part in suppression and is never stored. ``survey_based``
    figures are suppressed below the anonymity threshold, counted in ``sample_size``
    (distinct respondents)."""

    scope_type: str
    scope_id: int | None
    metric: str
    granularity: str
    period_start: dt.date
    value: float | None
    sample_size: int
    components: dict = field(default_factory=dict)
    survey_based: bool = False

    @property
    def key(self) -> tuple:
        return (self.scope_type, self.scope_id, self.metric, self.granularity, self.period_start)


def local_start(day: dt.date, zone) -> dt.datetime:
    """The first moment of a local day, for filtering datetimes by local periods."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


def fetch(queryset) -> list[dict]:
    """The rows of a ``values(...).annotate(...)`` queryset of ids, counts and a
    ``period`` day, as dicts — read straight from the cursor: a large organisation's
    counts come in hundreds of thousands of rows, and Django's per-value converters
    would cost more than the query. Only for querysets whose values need no converting
    but the period (truncated, it comes as a date, a datetime or, from SQLite, text)."""
    query = queryset.query
    # The columns' names in their order, as Django's own ValuesIterable reads them.
    names = (
        list(query.selected)
        if query.selected
        else [*query.extra_select, *query.values_select, *query.annotation_select]
    )
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = [dict(zip(names, row, strict=True)) for row in rows]
    for row in found:
        row["period"] = as_day(row["period"])
    return found


def as_day(value) -> dt.date:
    """A day from a raw cursor's date, datetime (a truncated moment) or text (SQLite)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
