"""Fixtures every test may use: the personas, logged-in clients, API clients."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.testing import make_personas


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


@pytest.fixture
def webhook(settings):
    """A Slack-compatible webhook served on localhost. Plain http and a local address are
    allowed for it, as they would be for a self-hosted chat server on a private network."""
    from notifications.tests.webhook_server import start_webhook_server

    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 5
    hook, server = start_webhook_server()
    yield hook
    server.shutdown()
    server.server_close()


@pytest.fixture
def as_admin(personas, api_client_for):
    return api_client_for(personas.admin)


@pytest.fixture
def as_manager(personas, api_client_for):
    return api_client_for(personas.manager)


@pytest.fixture
def as_member(personas, api_client_for):
    return api_client_for(personas.member)


# The day the demo-data tests pretend it is (their expectations count from it).
DEMO_TODAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def northwind(django_db_setup, django_db_blocker):
    """The demo organisation from ``seed_demo``, built once per test module: its rows
    are committed (as Django's setUpTestData does), each test's changes roll back, and
    the database is flushed when the module is done. Seeding takes seconds."""
    from accounts.demo import DEMO_SLUG
    from accounts.models import Organization

    with django_db_blocker.unblock():
        with time_machine.travel(DEMO_TODAY, tick=False):
            call_command("seed_demo", stdout=StringIO())
        yield Organization.objects.get(slug=DEMO_SLUG)
        call_command("flush", interactive=False, verbosity=0)
