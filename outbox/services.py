"""Writes for the score outbox."""

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.utils import timezone

from outbox.models import DirtyScope

Scope = DirtyScope.ScopeType


def _days(at, zone: ZoneInfo) -> set[dt.date]:
    """The organisation's local days of the given moments (datetimes or dates)."""
    moments = at if isinstance(at, Iterable) and not isinstance(at, str | dt.date) else [at]
    days = set()
    for moment in moments:
        if moment is None:
            continue
        if isinstance(moment, dt.datetime):
            days.add(timezone.localtime(moment, zone).date())
        else:
            days.add(moment)
    return days


def mark_dirty(*, organization, at, teams=(), accounts=(), functions=()) -> None:
    """Mark the organisation and the given teams, functions and accounts as needing a
    recompute for the periods of ``at``: the moment (or moments) the data belongs to —
    a backdated win's own day, a handoff's day of sending and of its move.

    Call it inside the transaction that saves the new data, so both commit or neither
    does. Empty ids are ignored; repeated ones are marked once.
    """
    days = _days(at, ZoneInfo(organization.timezone))
    scopes = {(Scope.ORGANIZATION, organization.pk)}
    scopes |= {(Scope.TEAM, team_id) for team_id in teams if team_id}
    scopes |= {(Scope.FUNCTION, function_id) for function_id in functions if function_id}
    scopes |= {(Scope.ACCOUNT, account_id) for account_id in accounts if account_id}
    now = timezone.now()
    DirtyScope.objects.bulk_create(
        DirtyScope(organization_id=organization.pk, scope_type=kind, scope_id=scope_id, day=day, marked_at=now)
        for kind, scope_id in sorted(scopes)
        for day in sorted(days)
    )
