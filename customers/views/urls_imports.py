"""URLs of the CSV import and export pages."""

urlpatterns = []
