"""API routes for wins, applause, spotlights, adoptions and handoffs."""

from django.urls import path

from work.api import handoffs, wins

org = "orgs/<slug:org_slug>/"


def _handoff_move(move: str, action: str | None = None):
    view = handoffs.HandoffViewSet.as_view({"post": action or move})
    return path(f"{org}handoffs/<int:pk>/{move}/", view, name=f"api-handoff-{move}")


urlpatterns = [
    # Wins: log, applaud, spotlight, adopt
    path(f"{org}wins/", wins.WinViewSet.as_view({"get": "list", "post": "create"}), name="api-wins"),
    path(f"{org}wins/<int:pk>/", wins.WinViewSet.as_view({"get": "retrieve"}), name="api-win"),
    path(
        f"{org}wins/<int:pk>/applause/",
        wins.WinViewSet.as_view({"post": "applaud", "delete": "unapplaud"}),
        name="api-win-applause",
    ),
    path(f"{org}wins/<int:pk>/spotlight/", wins.WinViewSet.as_view({"post": "spotlight"}), name="api-win-spotlight"),
    path(f"{org}wins/<int:pk>/adoptions/", wins.WinViewSet.as_view({"post": "adopt"}), name="api-win-adoptions"),
    path(f"{org}values-in-action/", wins.ValuesInActionViewSet.as_view({"get": "chart"}), name="api-values-in-action"),
    # Handoffs: send, inbox, the lifecycle, whom to ask
    path(f"{org}handoffs/", handoffs.HandoffViewSet.as_view({"get": "list", "post": "create"}), name="api-handoffs"),
    path(f"{org}handoffs/<int:pk>/", handoffs.HandoffViewSet.as_view({"get": "retrieve"}), name="api-handoff"),
    _handoff_move("accept"),
    _handoff_move("decline"),
    _handoff_move("complete"),
    _handoff_move("return", "return_"),
    _handoff_move("cancel"),
    path(
        f"{org}handoff-suggestions/",
        handoffs.HandoffSuggestionViewSet.as_view({"get": "list"}),
        name="api-handoff-suggestions",
    ),
]
