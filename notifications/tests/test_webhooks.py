"""Chat webhooks: which addresses are accepted, what may be shown of them, and how a
post goes out and fails. Posts go to a real local server (the ``webhook`` fixture)."""

import pytest
from django.core.exceptions import ValidationError

from notifications.webhooks import WebhookError, masked, post_message, validate_webhook_url


@pytest.fixture(autouse=True)
def operator_defaults(settings):
    """As shipped: https only, public addresses only. The ``webhook`` fixture, used by
    the posting tests, opens both for its local server."""
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False


# --- Which addresses are accepted ---------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/x",
        "ftp://hooks.example.com/x",
        "https://",
        "javascript:alert(1)",
        "https://u:p@h.io/x",
    ],
)
def test_only_plain_https_addresses_are_accepted(url):
    with pytest.raises(ValidationError) as refused:
        validate_webhook_url(url)
    assert "webhook_url" in refused.value.message_dict


def test_plain_http_is_accepted_when_the_operator_allows_it(settings):
    url = "http://chat.internal/hooks/abc"
    with pytest.raises(ValidationError, match="Enter an https address"):
        validate_webhook_url(url)

    settings.WEBHOOK_ALLOW_HTTP = True

    assert validate_webhook_url(url) is None  # accepted: nothing raised


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://localhost/hook",
    ],
)
def test_a_private_or_local_address_is_refused(url):
    with pytest.raises(ValidationError, match="private or local address"):
        validate_webhook_url(url)


@pytest.mark.parametrize("url", ["https://hooks.slack.com/services/T0 B0/x", "https://hooks.slack.com/sérvices/x"])
def test_an_address_with_spaces_or_odd_characters_is_refused(url):
    with pytest.raises(ValidationError, match="no spaces"):
        validate_webhook_url(url)


def test_only_the_host_of_a_webhook_is_ever_shown():
    assert masked("https://hooks.slack.com/services/T000/B000/secret") == "https://hooks.slack.com/…"
    assert masked("") == ""


# --- Posting ------------------------------------------------------------------------------


def test_a_post_is_json_carrying_the_text(webhook):
    post_message(webhook.url, "Returns spike <!channel>")

    assert webhook.content_types == ["application/json"]
    assert webhook.received == [{"text": "Returns spike <!channel>"}]  # sent as given: callers escape


def test_a_webhook_that_is_gone_fails_for_good(webhook):
    webhook.status = 404

    with pytest.raises(WebhookError, match="HTTP 404") as failed:
        post_message(webhook.url, "Hello")

    assert failed.value.permanent is True
    assert len(webhook.received) == 1


def test_a_webhook_that_is_down_may_be_tried_again(webhook):
    webhook.status = 503

    with pytest.raises(WebhookError, match="HTTP 503") as failed:
        post_message(webhook.url, "Hello")

    assert failed.value.permanent is False


def test_a_redirect_is_not_followed_and_fails_for_good(webhook):
    webhook.status, webhook.location = 302, webhook.url.replace("secret", "elsewhere")

    with pytest.raises(WebhookError, match="HTTP 302") as failed:
        post_message(webhook.url, "Hello")

    assert failed.value.permanent is True
    assert len(webhook.received) == 1  # the first post only: nothing went to the new location


def test_a_malformed_address_fails_without_repeating_it(webhook):
    with pytest.raises(WebhookError) as failed:
        post_message(webhook.url + " secret-part", "Hello")

    assert str(failed.value) == "The webhook address is malformed: set it again."
    assert failed.value.permanent is True
    assert webhook.received == []


def test_a_post_to_an_address_that_now_points_inward_is_refused(webhook, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False  # the operator closed it since it was saved

    with pytest.raises(WebhookError, match="private or local address") as failed:
        post_message(webhook.url, "Hello")

    assert failed.value.permanent is True
    assert webhook.received == []
