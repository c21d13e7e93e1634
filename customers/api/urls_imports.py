"""API routes for CSV imports."""

urlpatterns = []
