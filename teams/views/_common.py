"""Plumbing shared by the teams pages. Generic form and service helpers (``attempt``,
``changes_of``…) are in ``teamhub.lib.forms``."""

from teamhub.lib.tenancy import Role, get_visible_or_404, require_role
from teams.models import RoleCriterion


def admin_object(queryset, membership, pk):
    """An organisation-wide row only admins change: 404 first, then 403."""
    obj = get_visible_or_404(queryset, membership, pk=pk)
    require_role(membership, Role.ADMIN)
    return obj


def admin_role_criterion(membership, pk) -> RoleCriterion:
    criterion = get_visible_or_404(RoleCriterion.objects.select_related("role"), membership, pk=pk)
    require_role(membership, Role.ADMIN)
    return criterion
