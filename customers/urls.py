"""Customer pages: accounts, contacts and follow-ups; CSV import and export."""

from customers.views.urls_accounts import urlpatterns as account_urls
from customers.views.urls_imports import urlpatterns as import_urls

app_name = "customers"

urlpatterns = [*account_urls, *import_urls]
