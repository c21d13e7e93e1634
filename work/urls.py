"""URLs of the daily-work pages: wins, spotlights, handoffs and the inbox."""

from django.urls import path

from work.views import handoffs, wins

app_name = "work"


def _move(move):
    return path(f"handoffs/<int:pk>/{move}/", handoffs.handoff_move, {"move": move}, name=f"handoff_{move}")


urlpatterns = [
    # Wins
    path("wins/", wins.wins, name="wins"),
    path("wins/new/", wins.win_create, name="win_create"),
    path("wins/spotlight/", wins.spotlights, name="spotlights"),
    path("wins/values-in-action/", wins.values_in_action, name="values_in_action"),
    path("wins/<int:pk>/", wins.win_detail, name="win_detail"),
    path("wins/<int:pk>/applause/", wins.win_applause, name="win_applause"),
    path("wins/<int:pk>/spotlight/", wins.win_spotlight, name="win_spotlight"),
    path("wins/<int:pk>/adopt/", wins.win_adopt, name="win_adopt"),
    path("teams/<int:pk>/wins/", wins.team_wins, name="team_wins"),
    # Handoffs
    path("handoffs/new/", handoffs.handoff_create, name="handoff_create"),
    path("handoffs/suggestions/", handoffs.handoff_suggestions, name="handoff_suggestions"),
    path("handoffs/<int:pk>/", handoffs.handoff_detail, name="handoff_detail"),
    *[_move(move) for move in ("accept", "decline", "complete", "return", "cancel")],
    # The inbox: handoffs by box, and the person's notifications
    path("inbox/", handoffs.inbox, name="inbox"),
]
