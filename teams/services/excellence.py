from django.db import transaction

from accounts.models import Membership
from teams.access import require_excellence_editor
from teams.models import ExcellenceChange, ExcellenceCriterion, TeamMembership
from teams.services._common import apply_changes, save_valid


def _record(actor, team_membership, criterion, action, before=None, after=None) -> None:
    ExcellenceChange.objects.create(
        team_membership=team_membership,
        criterion=criterion,
        action=action,
        before=before,
        after=after,
        changed_by=actor,
    )


def criteria_replace_from_role(*, actor: Membership, team_membership: TeamMembership) -> None:
    """Copy the role's template to the person (replacing what they had), recording each
    removal and addition. Called inside the team services' transactions."""
    for criterion in team_membership.criteria.all():
        _record(actor, team_membership, None, ExcellenceChange.Action.DELETED, before=criterion.snapshot())
        criterion.delete()
    if team_membership.job_role is None:
        return
    for template in team_membership.job_role.criteria.all():
        criterion = ExcellenceCriterion.objects.create(
            team_membership=team_membership,
            looks_like=template.looks_like,
            measure=template.measure,
            order=template.order,
            source=template,
        )
        _record(actor, team_membership, criterion, ExcellenceChange.Action.CREATED, after=criterion.snapshot())


@transaction.atomic
def criterion_add(
    *, actor: Membership, team_membership: TeamMembership, looks_like: str, measure: str
) -> ExcellenceCriterion:
    require_excellence_editor(actor, team_membership)
    criterion = save_valid(
        ExcellenceCriterion(
            team_membership=team_membership,
            looks_like=looks_like,
            measure=measure,
            order=team_membership.criteria.count(),
        )
    )
    _record(actor, team_membership, criterion, ExcellenceChange.Action.CREATED, after=criterion.snapshot())
    return criterion


@transaction.atomic
def criterion_update(*, actor: Membership, criterion: ExcellenceCriterion, **changes) -> ExcellenceCriterion:
    require_excellence_editor(actor, criterion.team_membership)
    before = criterion.snapshot()
    fields = apply_changes(criterion, changes, allowed=("looks_like", "measure", "order"))
    save_valid(criterion, update_fields=[*fields, "updated_at"] if fields else None)
    if criterion.snapshot() != before:
        _record(
            actor,
            criterion.team_membership,
            criterion,
            ExcellenceChange.Action.UPDATED,
            before=before,
            after=criterion.snapshot(),
        )
    return criterion


@transaction.atomic
def criterion_delete(*, actor: Membership, criterion: ExcellenceCriterion) -> None:
    require_excellence_editor(actor, criterion.team_membership)
    _record(actor, criterion.team_membership, None, ExcellenceChange.Action.DELETED, before=criterion.snapshot())
    criterion.delete()
