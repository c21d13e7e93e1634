"""Fixtures every test may use: the personas, logged-in clients, API clients."""

import pytest
from rest_framework.test import APIClient

from teamhub.lib.testing import make_personas


@pytest.fixture
def personas(db):
    return make_personas()


@pytest.fixture
def client_for(client):
    """``client_for(membership)``: a page client logged in as that membership's user."""

    def make(membership):
        from django.test import Client

        c = Client()
        if membership is not None:
            c.force_login(membership.user)
        return c

    return make


@pytest.fixture
def api_client_for():
    """``api_client_for(membership)``: an API client authenticated as that user (session, CSRF enforced)."""

    def make(membership):
        c = APIClient(enforce_csrf_checks=False)
        if membership is not None:
            c.force_authenticate(membership.user)
        return c

    return make
