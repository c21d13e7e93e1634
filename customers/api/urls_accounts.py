"""API routes for accounts, contacts, ownership transfers and follow-ups."""

urlpatterns = []
