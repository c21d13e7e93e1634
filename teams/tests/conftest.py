"""Fixtures for teams/ tests."""

import pytest

from teams.tests.webhook_server import start_webhook_server


@pytest.fixture
def webhook(settings):
    """A Slack-compatible webhook served on localhost. Plain http and a local address are
    allowed for it, as they would be for a self-hosted chat server on a private network."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 5
    hook, server = start_webhook_server()
    yield hook
    server.shutdown()
    server.server_close()
