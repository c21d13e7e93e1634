"""Template tags for notifications: the navigation's unread count."""

from django import template

from notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """How many of the person's notifications are unread: one query, kept on the
    request so a page that asks twice pays once."""
    request = context.get("request")
    membership = context.get("membership")
    if request is None or not membership:
        return 0
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = unread_count(membership=membership)
    return request._unread_notifications
