"""URLs of the account, contact and follow-up pages."""

urlpatterns = []
