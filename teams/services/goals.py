from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership
from teamhub.lib.tenancy import Role, require_role
from teams.access import require_goal_editor, require_team_manager
from teams.models import CheckIn, Goal, KeyResult, Team
from teams.services._common import apply_changes, save_valid

GOAL_FIELDS = ("title", "description", "owner", "period_start", "period_end", "status", "parent")
KEY_RESULT_FIELDS = ("title", "kind", "unit", "baseline", "target", "direction", "order")


def _check_alignment(goal: Goal) -> None:
    """Team goals serve an organisation goal of the same organisation; organisation
    goals stand at the root."""
    if goal.team_id is None:
        if goal.parent_id is not None:
            raise ValidationError({"parent": "An organisation goal is not aligned to another goal."})
        return
    parent = goal.parent
    if parent is None or parent.team_id is not None or parent.organization_id != goal.organization_id:
        raise ValidationError({"parent": "Align a team goal to one of your organisation's goals."})


def _check_target(key_result: KeyResult) -> None:
    if key_result.target is None or key_result.baseline is None:
        return  # full_clean names the missing field
    if key_result.target == key_result.baseline:
        raise ValidationError({"target": "The target must differ from the baseline."})
    up = key_result.direction == KeyResult.Direction.UP
    if up != (key_result.target > key_result.baseline):
        side = "above" if up else "below"
        raise ValidationError(
            {"target": f"With “{key_result.get_direction_display().lower()}” the target must be {side} the baseline."}
        )


def _check_owner(goal: Goal) -> None:
    if goal.owner is not None and (goal.owner.organization_id != goal.organization_id or not goal.owner.is_active):
        raise ValidationError({"owner": "The owner must be an active person of your organisation."})


@transaction.atomic
def goal_create(*, actor: Membership, title: str, period_start, period_end, team: Team | None = None, **fields) -> Goal:
    """An organisation goal (admins) or a team goal (that team's managers)."""
    if team is None:
        require_role(actor, Role.ADMIN)
    else:
        if team.organization_id != actor.organization_id:
            raise ValidationError({"team": "Choose a team of your organisation."})
        require_team_manager(actor, team)
    unknown = set(fields) - set(GOAL_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    goal = Goal(
        organization=actor.organization,
        team=team,
        title=title,
        period_start=period_start,
        period_end=period_end,
        **fields,
    )
    _check_alignment(goal)
    _check_owner(goal)
    return save_valid(goal)


@transaction.atomic
def goal_update(*, actor: Membership, goal: Goal, **changes) -> Goal:
    require_goal_editor(actor, goal)
    fields = apply_changes(goal, changes, allowed=GOAL_FIELDS)
    _check_alignment(goal)
    _check_owner(goal)
    return save_valid(goal, update_fields=fields or None)


@transaction.atomic
def goal_delete(*, actor: Membership, goal: Goal) -> None:
    require_goal_editor(actor, goal)
    if goal.children.exists():
        raise ValidationError("Team goals are aligned to this goal; re-align or delete them first.")
    goal.delete()


# --- Key results and check-ins -----------------------------------------------------------------


@transaction.atomic
def key_result_create(
    *, actor: Membership, goal: Goal, title: str, baseline: Decimal, target: Decimal, current=None, **fields
) -> KeyResult:
    require_goal_editor(actor, goal)
    unknown = set(fields) - set(KEY_RESULT_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    if target is not None and baseline is not None:
        fields.setdefault("direction", KeyResult.Direction.UP if target >= baseline else KeyResult.Direction.DOWN)
    fields.setdefault("order", goal.key_results.count())
    key_result = KeyResult(
        goal=goal, title=title, baseline=baseline, target=target, current=baseline if current is None else current
    )
    for field, value in fields.items():
        setattr(key_result, field, value)
    _check_target(key_result)
    return save_valid(key_result)


@transaction.atomic
def key_result_update(*, actor: Membership, key_result: KeyResult, **changes) -> KeyResult:
    """Edit what is measured. The current value changes only through check-ins."""
    require_goal_editor(actor, key_result.goal)
    fields = apply_changes(key_result, changes, allowed=KEY_RESULT_FIELDS)
    _check_target(key_result)
    return save_valid(key_result, update_fields=fields or None)


@transaction.atomic
def key_result_delete(*, actor: Membership, key_result: KeyResult) -> None:
    require_goal_editor(actor, key_result.goal)
    key_result.delete()


@transaction.atomic
def check_in_create(*, actor: Membership, key_result: KeyResult, value: Decimal, note: str = "", at=None) -> CheckIn:
    """Record a new value: the key result's current value becomes it (progress follows)."""
    require_goal_editor(actor, key_result.goal)
    # Lock the key result so two check-ins at once leave current = the later one.
    key_result = KeyResult.objects.select_for_update().get(pk=key_result.pk)
    check_in = save_valid(
        CheckIn(key_result=key_result, value=value, note=note, author=actor, created_at=at or timezone.now())
    )
    latest = key_result.check_ins.order_by("-created_at", "-pk").values_list("value", flat=True).first()
    KeyResult.objects.filter(pk=key_result.pk).update(current=latest)
    return check_in
