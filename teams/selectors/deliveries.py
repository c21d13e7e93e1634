"""Reads for the admins' view of deliveries: what did not reach people or teams."""

from django.db.models import Count

from accounts.models import Membership
from teamhub.lib.tenancy import Role, has_role
from teams.models import Delivery

STATUSES = [choice.value for choice in Delivery.Status]


def delivery_list(*, membership: Membership, status: str | None = Delivery.Status.FAILED):
    """The organisation's deliveries, newest first; only admins see any. Without a
    status, all of them."""
    if not has_role(membership, Role.ADMIN):
        return Delivery.objects.none()
    deliveries = Delivery.objects.visible_to(membership).select_related("team", "notification__recipient__user")
    return deliveries.filter(status=status) if status else deliveries


def delivery_counts(*, membership: Membership) -> dict[str, int]:
    """How many deliveries are in each status (every status present, zero or not)."""
    rows = delivery_list(membership=membership, status=None).order_by().values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
