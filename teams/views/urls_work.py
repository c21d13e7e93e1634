"""URLs of the daily-work pages: wins, spotlights, handoffs, inbox, notifications."""

from django.urls import path

from teams.views import handoffs, work


def _move(move):
    return path(f"handoffs/<int:pk>/{move}/", handoffs.handoff_move, {"move": move}, name=f"handoff_{move}")


urlpatterns = [
    # Wins
    path("wins/", work.wins, name="wins"),
    path("wins/new/", work.win_create, name="win_create"),
    path("wins/spotlight/", work.spotlights, name="spotlights"),
    path("wins/values-in-action/", work.values_in_action, name="values_in_action"),
    path("wins/<int:pk>/", work.win_detail, name="win_detail"),
    path("wins/<int:pk>/applause/", work.win_applause, name="win_applause"),
    path("wins/<int:pk>/spotlight/", work.win_spotlight, name="win_spotlight"),
    path("wins/<int:pk>/adopt/", work.win_adopt, name="win_adopt"),
    path("teams/<int:pk>/wins/", work.team_wins, name="team_wins"),
    # Handoffs
    path("handoffs/new/", handoffs.handoff_create, name="handoff_create"),
    path("handoffs/suggestions/", handoffs.handoff_suggestions, name="handoff_suggestions"),
    path("handoffs/<int:pk>/", handoffs.handoff_detail, name="handoff_detail"),
    *[_move(move) for move in ("accept", "decline", "complete", "return", "cancel")],
    # The inbox and notifications
    path("inbox/", handoffs.inbox, name="inbox"),
    path("notifications/read/", handoffs.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", handoffs.notification_read, name="notification_read"),
]
