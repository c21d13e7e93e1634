from django.db import transaction

from accounts.models import Membership
from teamhub.lib.tenancy import Role, require_role, require_same_org
from teams.models import Value
from teams.services._common import apply_changes, require_unique_name, save_valid

VALUE_FIELDS = ("name", "description", "order", "is_active")


@transaction.atomic
def value_create(*, actor: Membership, name: str, description: str = "", order: int | None = None) -> Value:
    require_role(actor, Role.ADMIN)
    require_unique_name(Value.objects.for_org(actor.organization_id), name, what="A value")
    if order is None:
        order = Value.objects.for_org(actor.organization_id).count()
    return save_valid(Value(organization=actor.organization, name=name, description=description, order=order))


@transaction.atomic
def value_update(*, actor: Membership, value: Value, **changes) -> Value:
    """Edit, archive (``is_active=False``) or restore a value. Archived values stay on
    old wins; only new wins are refused them."""
    require_role(actor, Role.ADMIN)
    require_same_org(actor, value)
    fields = apply_changes(value, changes, allowed=VALUE_FIELDS)
    require_unique_name(Value.objects.for_org(value.organization_id), value.name, instance=value, what="A value")
    return save_valid(value, update_fields=fields or None)
