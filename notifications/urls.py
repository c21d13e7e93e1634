"""URLs of notification pages: marking one's own read, and the admins' deliveries."""

from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/read/", views.notifications_read_all, name="read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="read"),
    path("configure/deliveries/", views.deliveries, name="deliveries"),
    path("configure/deliveries/send-failed-again/", views.deliveries_retry_failed, name="deliveries_retry_failed"),
    path("configure/deliveries/<int:pk>/send-again/", views.delivery_retry, name="delivery_retry"),
]
