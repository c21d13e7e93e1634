"""What a source of scores hands the engine: figures, one per scope, metric and period,
before suppression. The engine suppresses, combines and stores them."""

import datetime as dt
from dataclasses import dataclass, field

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
