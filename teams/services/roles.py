from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Membership
from teamhub.lib.tenancy import Role, require_role, require_same_org
from teams.models import Function, JobRole, RoleCriterion
from teams.services._common import apply_changes, require_unique_name, save_valid

# --- Functions -------------------------------------------------------------------------


@transaction.atomic
def function_create(*, actor: Membership, name: str, order: int | None = None) -> Function:
    require_role(actor, Role.ADMIN)
    require_unique_name(Function.objects.for_org(actor.organization_id), name, what="A function")
    if order is None:
        order = Function.objects.for_org(actor.organization_id).count()
    return save_valid(Function(organization=actor.organization, name=name, order=order))


@transaction.atomic
def function_update(*, actor: Membership, function: Function, **changes) -> Function:
    require_role(actor, Role.ADMIN)
    require_same_org(actor, function)
    fields = apply_changes(function, changes, allowed=("name", "order"))
    functions = Function.objects.for_org(function.organization_id)
    require_unique_name(functions, function.name, instance=function, what="A function")
    return save_valid(function, update_fields=fields or None)


@transaction.atomic
def function_delete(*, actor: Membership, function: Function) -> None:
    require_role(actor, Role.ADMIN)
    require_same_org(actor, function)
    if function.roles.exists():
        raise ValidationError("This function still has roles; move or delete them first.")
    function.delete()


# --- Roles and their excellence templates ------------------------------------------------


def _check_same_org(actor: Membership, function: Function) -> None:
    if function.organization_id != actor.organization_id:
        raise ValidationError({"function": "Choose a function of your organisation."})


@transaction.atomic
def job_role_create(
    *, actor: Membership, function: Function, name: str, purpose: str = "", criteria: list[dict] | None = None
) -> JobRole:
    """A role with its excellence template: ``criteria`` as ``{"looks_like", "measure"}``."""
    require_role(actor, Role.ADMIN)
    _check_same_org(actor, function)
    require_unique_name(JobRole.objects.for_org(actor.organization_id), name, what="A role")
    role = save_valid(JobRole(organization=actor.organization, function=function, name=name, purpose=purpose))
    for order, criterion in enumerate(criteria or []):
        save_valid(RoleCriterion(role=role, order=order, **criterion))
    return role


@transaction.atomic
def job_role_update(*, actor: Membership, role: JobRole, **changes) -> JobRole:
    require_role(actor, Role.ADMIN)
    require_same_org(actor, role)
    fields = apply_changes(role, changes, allowed=("function", "name", "purpose"))
    require_unique_name(JobRole.objects.for_org(role.organization_id), role.name, instance=role, what="A role")
    if "function" in changes:
        _check_same_org(actor, role.function)
    return save_valid(role, update_fields=fields or None)


@transaction.atomic
def job_role_delete(*, actor: Membership, role: JobRole) -> None:
    require_role(actor, Role.ADMIN)
    require_same_org(actor, role)
    if role.team_memberships.exists():
        raise ValidationError("People hold this role; give them another role first.")
    role.delete()


@transaction.atomic
def role_criterion_add(*, actor: Membership, role: JobRole, looks_like: str, measure: str) -> RoleCriterion:
    """Template changes apply to people given the role from now on; people who hold it
    keep the criteria they and their manager have adapted."""
    require_role(actor, Role.ADMIN)
    require_same_org(actor, role)
    return save_valid(RoleCriterion(role=role, looks_like=looks_like, measure=measure, order=role.criteria.count()))


@transaction.atomic
def role_criterion_update(*, actor: Membership, criterion: RoleCriterion, **changes) -> RoleCriterion:
    require_role(actor, Role.ADMIN)
    require_same_org(actor, criterion.role)
    fields = apply_changes(criterion, changes, allowed=("looks_like", "measure", "order"))
    return save_valid(criterion, update_fields=fields or None)


@transaction.atomic
def role_criterion_delete(*, actor: Membership, criterion: RoleCriterion) -> None:
    require_role(actor, Role.ADMIN)
    require_same_org(actor, criterion.role)
    criterion.delete()
