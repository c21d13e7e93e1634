"""API routes for one's own notifications and the admins' deliveries."""

from django.urls import path

from notifications.api import views

org = "orgs/<slug:org_slug>/"

urlpatterns = [
    # Notifications: only your own
    path(f"{org}notifications/", views.NotificationViewSet.as_view({"get": "list"}), name="api-notifications"),
    path(
        f"{org}notifications/read/",
        views.NotificationViewSet.as_view({"post": "read_all"}),
        name="api-notifications-read",
    ),
    path(
        f"{org}notifications/<int:pk>/read/",
        views.NotificationViewSet.as_view({"post": "read"}),
        name="api-notification-read",
    ),
    # Deliveries: admins look after what did not arrive
    path(f"{org}deliveries/", views.DeliveryViewSet.as_view({"get": "list"}), name="api-deliveries"),
    path(
        f"{org}deliveries/send-failed-again/",
        views.DeliveryViewSet.as_view({"post": "retry_failed"}),
        name="api-deliveries-retry-failed",
    ),
    path(
        f"{org}deliveries/<int:pk>/send-again/",
        views.DeliveryViewSet.as_view({"post": "retry"}),
        name="api-delivery-retry",
    ),
]
