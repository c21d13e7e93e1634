"""Home: what a person sees first, from every app, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_home_redirects_anonymous_visitors_to_login(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_home_sends_a_user_without_organisation_to_the_no_organisation_page(client_for):
    loner = MembershipFactory(is_active=False)

    response = client_for(loner).get(reverse("home"))

    assert response.url == reverse("accounts:no_organisation")


def test_home_shows_the_current_organisation_and_role_counts(client_for, personas):
    response = client_for(personas.member).get(reverse("home"))

    assert response.status_code == 200
    assert response.context["current_org"] == personas.org
    assert response.context["role_counts"] == {"total": 3, "admin": 1, "manager": 1, "member": 1}


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


def test_home_query_count_does_not_grow_with_the_organisation(client_for, personas):
    client = client_for(personas.admin)
    MembershipFactory(user=personas.admin.user, organization=personas.other_org)  # shows the switcher
    client.get(reverse("home"))  # settle the session's current organisation
    few = _home_queries(client)

    MembershipFactory.create_batch(27, organization=personas.org)
    many = _home_queries(client)

    # session, user, membership, role counts, switcher, the person's teams; the win form's
    # teams, values and people; the win feed; the three inbox lists; the unread count;
    # the viewer's teams; the surveys waiting for the person; the follow-ups, customers
    # and teams of the person (no customer and no team here: no score is looked up)
    assert few == many == 19
