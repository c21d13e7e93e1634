"""Writes for the score outbox."""

import datetime as dt
import logging
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from celery import current_app
from django.db import transaction
from django.utils import timezone

from outbox.models import DirtyScope

logger = logging.getLogger(__name__)

Scope = DirtyScope.ScopeType

# Sent by name: the task lives in surveys, above the outbox (settings route "scores.*").
RECOMPUTE_TASK = "scores.recompute_dirty"


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


def mark_dirty(*, organization, at, teams=(), accounts=(), functions=(), kind=DirtyScope.Kind.ALL) -> None:
    """Mark the organisation and the given teams, functions and accounts as needing a
    recompute for the periods of ``at``: the moment (or moments) the data belongs to —
    a backdated win's own day, a handoff's day of sending and of its move.

    Call it inside the transaction that saves the new data, so both commit or neither
    does. Empty ids are ignored; repeated ones are marked once. ``kind``: what changed —
    customer feedback and daily work (``ACTIVITY``) are recomputed on their own, without
    the survey figures; anything else recomputes everything in the periods.
    """
    days = _days(at, ZoneInfo(organization.timezone))
    scopes = {(Scope.ORGANIZATION, organization.pk)}
    scopes |= {(Scope.TEAM, team_id) for team_id in teams if team_id}
    scopes |= {(Scope.FUNCTION, function_id) for function_id in functions if function_id}
    scopes |= {(Scope.ACCOUNT, account_id) for account_id in accounts if account_id}
    now = timezone.now()
    DirtyScope.objects.bulk_create(
        DirtyScope(
            organization_id=organization.pk, kind=kind, scope_type=scope_type, scope_id=scope_id, day=day, marked_at=now
        )
        for scope_type, scope_id in sorted(scopes)
        for day in sorted(days)
    )
    _recompute_on_commit(organization.pk)


def _recompute_on_commit(organization_id: int) -> None:
    """Once the transaction commits, ask for the organisation's recompute — once per
    transaction and organisation, however many marks it wrote; never on rollback.

    ``robust=True`` and a logged failure: a broker that is down never fails the save.
    The marks are committed with the data, so the sweep recomputes them later.
    """
    connection = transaction.get_connection()
    # Already asked in this transaction (and not rolled back with a savepoint since)?
    pending = (callback for _savepoints, callback, _robust in connection.run_on_commit)
    if any(getattr(callback, "recompute_organization_id", None) == organization_id for callback in pending):
        return

    def send_recompute():
        try:
            current_app.send_task(RECOMPUTE_TASK, args=(organization_id,))
        except Exception as exc:
            # Django's robust on_commit logs the traceback; this says what is left to do.
            logger.error(
                "Could not enqueue the score recompute: the sweep will pick up the marks (%s)",
                exc,
                extra={"organization_id": organization_id},
            )
            raise

    send_recompute.recompute_organization_id = organization_id
    send_recompute.__qualname__ = f"{RECOMPUTE_TASK}({organization_id})"
    transaction.on_commit(send_recompute, robust=True)
