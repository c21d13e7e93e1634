"""Fixtures for teams/ tests."""

import pytest

from teams.tests.webhook_server import start_webhook_server


@pytest.fixture
def webhook(settings):
    """A Slack-compatible webhook served on localhost. Plain http is allowed for it, as
    it would be for a self-hosted chat server on a private network."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 5
    hook, server = start_webhook_server()
    yield hook
    server.shutdown()
    server.server_close()
