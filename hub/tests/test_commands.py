from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_SLUG, PEOPLE
from accounts.models import Membership, Organization, User
from customers import models as customers_models
from teamhub.lib.tenancy import Role
from teams import models as teams_models


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_seed_demo_creates_the_demo_organisation_with_every_role():
    _seed()
    organization = Organization.objects.get(slug=DEMO_SLUG)
    roles = set(Membership.objects.filter(organization=organization).values_list("role", flat=True))
    assert roles == set(Role.values)
    assert Membership.objects.filter(organization=organization).count() == len(PEOPLE)


def _row_counts() -> dict[str, int]:
    """Rows of every accounts, teams and customers model the demo touches."""
    models = [User, Organization, Membership]
    models += [getattr(teams_models, name) for name in teams_models.__all__ if name not in {"Stage", "Commitment"}]
    models += [
        customers_models.CustomerAccount,
        customers_models.OwnershipChange,
        customers_models.Contact,
        customers_models.FollowUp,
        customers_models.CustomerImport,
    ]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing():
    _seed()
    before = _row_counts()
    assert before["Team"] > 0
    assert before["CustomerAccount"] > 0

    output = _seed()

    assert _row_counts() == before
    assert "Teams demo data: already there." in output
    assert "Customers demo data: already there." in output


@pytest.mark.django_db
def test_seed_demo_prints_logins_that_work(client):
    output = _seed()
    assert DEMO_PASSWORD in output
    for _, email in DEMO_LOGINS:
        assert email in output
        response = client.post(reverse("accounts:login"), {"username": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        client.post(reverse("accounts:logout"))
