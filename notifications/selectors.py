"""Reads for notifications: a person's own, and the admins' view of deliveries."""

from django.db.models import Count

from accounts.models import Membership
from notifications.models import Delivery, Notification
from teamhub.lib.tenancy import Role, has_role

STATUSES = [choice.value for choice in Delivery.Status]


def notification_list(*, membership: Membership, unread_only: bool = False):
    """The person's notifications, newest first (only their own)."""
    notifications = Notification.objects.visible_to(membership)
    if unread_only:
        notifications = notifications.unread()
    return notifications.order_by("-created_at", "-pk")


def unread_count(*, membership: Membership) -> int:
    return Notification.objects.filter(recipient=membership, read_at__isnull=True).count()


def delivery_list(*, membership: Membership, status: str | None = Delivery.Status.FAILED):
    """The organisation's deliveries, newest first; only admins see any. Without a
    status, all of them."""
    if not has_role(membership, Role.ADMIN):
        return Delivery.objects.none()
    deliveries = Delivery.objects.visible_to(membership).select_related("notification__recipient__user")
    return deliveries.filter(status=status) if status else deliveries


def delivery_counts(*, membership: Membership) -> dict[str, int]:
    """How many deliveries are in each status (every status present, zero or not)."""
    rows = delivery_list(membership=membership, status=None).order_by().values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
