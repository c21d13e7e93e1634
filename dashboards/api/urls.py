"""API routes of the dashboards: each returns what its page shows and nothing more."""

from django.urls import path  # noqa: F401 (each endpoint adds its route below)

org = "orgs/<slug:org_slug>/"

# One block per endpoint; views live in dashboards/api/<page>.py.
urlpatterns: list = []
