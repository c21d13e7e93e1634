"""Who may see and change notifications and deliveries: one function per entity.

A notification is its recipient's alone: anyone else's id is not found. Deliveries
belong to the organisation and are looked after by its admins: another
organisation's is not found; a visible one answers 403 to anyone but an admin.
"""

from accounts.models import Membership
from notifications.models import Delivery, Notification
from teamhub.lib.tenancy import Role, get_visible_or_404, require_role


def access_notification(*, membership: Membership, notification_id) -> Notification:
    return get_visible_or_404(Notification.objects.all(), membership, pk=notification_id)


def access_delivery(*, membership: Membership, delivery_id) -> Delivery:
    delivery = get_visible_or_404(
        Delivery.objects.select_related("notification__recipient__user"), membership, pk=delivery_id
    )
    require_role(membership, Role.ADMIN)
    return delivery
