"""Writes for surveys and scores."""

from django.utils import timezone

from surveys.models import DirtyScope


def mark_dirty(*, organization_id: int, teams=(), accounts=(), functions=()) -> None:
    """Mark the organisation and the given teams, functions and accounts as needing a recompute.

    Call it inside the transaction that saves the new data, so both commit or neither
    does. Marking twice keeps one row, with the latest time.
    """
    now = timezone.now()
    scopes = [(DirtyScope.ScopeType.ORGANIZATION, organization_id)]
    scopes += [(DirtyScope.ScopeType.TEAM, team_id) for team_id in {t for t in teams if t}]
    scopes += [(DirtyScope.ScopeType.FUNCTION, function_id) for function_id in {f for f in functions if f}]
    scopes += [(DirtyScope.ScopeType.ACCOUNT, account_id) for account_id in {a for a in accounts if a}]
    rows = [
        DirtyScope(organization_id=organization_id, scope_type=kind, scope_id=scope_id, marked_at=now)
        for kind, scope_id in scopes
    ]
    DirtyScope.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["organization", "scope_type", "scope_id"],
        update_fields=["marked_at"],
    )
