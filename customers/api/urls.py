"""Customer API routes: accounts, contacts, ownership transfers, follow-ups; imports."""

from customers.api.urls_accounts import urlpatterns as account_urls
from customers.api.urls_imports import urlpatterns as import_urls

urlpatterns = [*account_urls, *import_urls]
