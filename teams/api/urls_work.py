"""API routes for wins, reactions, spotlights, adoptions, handoffs, notifications and their deliveries."""

from django.urls import path

from teams.api import deliveries, work

org = "orgs/<slug:org_slug>/"


def _handoff_move(move: str, action: str | None = None):
    view = work.HandoffViewSet.as_view({"post": action or move})
    return path(f"{org}handoffs/<int:pk>/{move}/", view, name=f"api-handoff-{move}")


urlpatterns = [
    # Wins: log, applaud, spotlight, adopt
    path(f"{org}wins/", work.WinViewSet.as_view({"get": "list", "post": "create"}), name="api-wins"),
    path(f"{org}wins/<int:pk>/", work.WinViewSet.as_view({"get": "retrieve"}), name="api-win"),
    path(
        f"{org}wins/<int:pk>/applause/",
        work.WinViewSet.as_view({"post": "applaud", "delete": "unapplaud"}),
        name="api-win-applause",
    ),
    path(f"{org}wins/<int:pk>/spotlight/", work.WinViewSet.as_view({"post": "spotlight"}), name="api-win-spotlight"),
    path(f"{org}wins/<int:pk>/adoptions/", work.WinViewSet.as_view({"post": "adopt"}), name="api-win-adoptions"),
    path(f"{org}values-in-action/", work.ValuesInActionViewSet.as_view({"get": "chart"}), name="api-values-in-action"),
    # Handoffs: send, inbox, the lifecycle, whom to ask
    path(f"{org}handoffs/", work.HandoffViewSet.as_view({"get": "list", "post": "create"}), name="api-handoffs"),
    path(f"{org}handoffs/<int:pk>/", work.HandoffViewSet.as_view({"get": "retrieve"}), name="api-handoff"),
    _handoff_move("accept"),
    _handoff_move("decline"),
    _handoff_move("complete"),
    _handoff_move("return", "return_"),
    _handoff_move("cancel"),
    path(
        f"{org}handoff-suggestions/",
        work.HandoffSuggestionViewSet.as_view({"get": "list"}),
        name="api-handoff-suggestions",
    ),
    # Notifications: only your own
    path(f"{org}notifications/", work.NotificationViewSet.as_view({"get": "list"}), name="api-notifications"),
    path(
        f"{org}notifications/read/",
        work.NotificationViewSet.as_view({"post": "read_all"}),
        name="api-notifications-read",
    ),
    path(
        f"{org}notifications/<int:pk>/read/",
        work.NotificationViewSet.as_view({"post": "read"}),
        name="api-notification-read",
    ),
    # Deliveries: admins look after what did not arrive
    path(f"{org}deliveries/", deliveries.DeliveryViewSet.as_view({"get": "list"}), name="api-deliveries"),
    path(
        f"{org}deliveries/send-failed-again/",
        deliveries.DeliveryViewSet.as_view({"post": "retry_failed"}),
        name="api-deliveries-retry-failed",
    ),
    path(
        f"{org}deliveries/<int:pk>/send-again/",
        deliveries.DeliveryViewSet.as_view({"post": "retry"}),
        name="api-delivery-retry",
    ),
]
