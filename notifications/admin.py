"""The Django admin for notifications and deliveries: read-only."""

from django.contrib import admin

from notifications.models import Delivery, Notification
from teamhub.lib.admin import ReadOnlyAdmin


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind", "organization"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """Failed deliveries, with their last error, are where admins look first."""

    list_display = ["subject", "channel", "shown_target", "status", "attempts", "last_error", "created_at"]
    list_filter = ["status", "channel", "organization"]
    exclude = ["target"]  # a webhook URL is a secret; shown_target keeps only its host
    list_select_related = ["notification"]
    readonly_fields = ["shown_target"]
