"""URLs of the daily-work pages: wins, spotlights, handoffs, inbox, notifications."""

urlpatterns = []
