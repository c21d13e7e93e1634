"""Plumbing shared by the teams pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError

from teamhub.lib.forms import apply_validation_error
from teamhub.lib.tenancy import Role, get_visible_or_404, require_role
from teams.models import RoleCriterion


def attempt(form, service, **kwargs):
    """Call a service; a ValidationError lands on ``form`` and the result is None."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        apply_validation_error(form, error)
        return None


def attempt_or_flash(request, service, **kwargs) -> bool:
    """Call a form-less service (a delete, a toggle); a refusal becomes an error message."""
    try:
        service(**kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    return True


def changes_of(form, *, skip_empty: tuple[str, ...] = ()) -> dict:
    """The fields the person changed, for an ``<entity>_update(**changes)`` service."""
    return {
        name: form.cleaned_data[name]
        for name in form.changed_data
        if not (name in skip_empty and form.cleaned_data[name] in (None, ""))
    }


def admin_object(queryset, membership, pk):
    """An organisation-wide row only admins change: 404 first, then 403."""
    obj = get_visible_or_404(queryset, membership, pk=pk)
    require_role(membership, Role.ADMIN)
    return obj


def admin_role_criterion(membership, pk) -> RoleCriterion:
    criterion = get_visible_or_404(RoleCriterion.objects.select_related("role"), membership, pk=pk)
    require_role(membership, Role.ADMIN)
    return criterion
