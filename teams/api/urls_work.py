"""API routes for wins, reactions, spotlights, adoptions, handoffs and notifications."""

urlpatterns = []
