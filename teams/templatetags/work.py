"""Template tags for daily work: the navigation's unread-notification count."""

from django import template

from teams.models import Notification

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
        request._unread_notifications = Notification.objects.filter(recipient=membership, read_at__isnull=True).count()
    return request._unread_notifications
