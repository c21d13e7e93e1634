"""API lists are paginated, with a client-chosen page size under a ceiling."""

import pytest

from teamhub.lib.api.pagination import Pagination

pytestmark = pytest.mark.django_db


def test_list_pages_follow_page_size(api_client_for, personas):
    client = api_client_for(personas.member)

    first = client.get("/api/v1/orgs/acme/memberships/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert first["count"] == 3
    assert [m["user"]["email"] for m in first["results"] + second["results"]] == [
        "alice@example.com",
        "bob@example.com",
        "charlie@example.com",
    ]
    assert second["next"] is None


def test_page_size_has_a_ceiling():
    assert Pagination.max_page_size == 200
    assert Pagination().get_page_size(_Request({"page_size": "5000"})) == 200


class _Request:
    def __init__(self, query_params):
        self.query_params = query_params
