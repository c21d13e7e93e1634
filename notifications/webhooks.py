"""Slack-compatible incoming webhooks: the one place that knows their shape.

Slack, Mattermost, Rocket.Chat and Microsoft Teams' Slack-compatible connectors all
accept a POST of ``{"text": "..."}`` as JSON. The URL is a secret (whoever holds it can
post to the channel), so TeamHub shows it only to the people who may change it.
"""

import http.client
import ipaddress
import json
import socket
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError


class WebhookError(Exception):
    """A post that did not arrive. ``permanent`` when retrying cannot help."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def validate_webhook_url(url: str) -> None:
    if not url.isascii() or any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        raise ValidationError({"webhook_url": "Paste the address exactly as your chat gave it: no spaces."})
    parts = urlsplit(url)
    schemes = ("https", "http") if settings.WEBHOOK_ALLOW_HTTP else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        expected = "an http or https" if settings.WEBHOOK_ALLOW_HTTP else "an https"
        raise ValidationError({"webhook_url": f"Enter {expected} address, like https://hooks.slack.com/services/…"})
    if parts.username or parts.password:
        raise ValidationError({"webhook_url": "Leave user names and passwords out of the address."})
    try:
        check_public(parts.hostname)
    except WebhookError as exc:
        raise ValidationError({"webhook_url": str(exc)}) from exc


def _addresses(host: str) -> set[str]:
    try:
        return {info[4][0] for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)}
    except (socket.gaierror, UnicodeError):
        return set()  # not resolvable from here (yet): the post will say so


def check_public(host: str) -> None:
    """Refuse a host on this machine or its private network: a webhook posts from the
    server, so such an address would let whoever sets it reach internal services.
    WEBHOOK_ALLOW_PRIVATE_NETWORKS lets a self-hosted chat server on the LAN through."""
    if settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS:
        return
    for address in _addresses(host):
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not ip.is_global or ip.is_multicast:
            raise WebhookError(
                f"{host} is a private or local address; TeamHub posts only to public chat servers.", permanent=True
            )


def masked(url: str) -> str:
    """What may be shown to anyone: the host, never the secret path."""
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}/…"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A webhook that redirects is misconfigured; following it could carry the message
    # (customer names) somewhere nobody chose.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post_message(url: str, text: str) -> None:
    """POST the text; raise WebhookError saying whether a retry could help."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise WebhookError("A webhook address must start with https://", permanent=True)
    check_public(parts.hostname or "")  # again: the name may point elsewhere since it was saved
    body = json.dumps({"text": text}).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "TeamHub"}
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310 (scheme checked above)
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            response.read(1024)
    except urllib.error.HTTPError as exc:
        # A redirect or a 4xx means the hook moved, is gone or refuses us: retrying will
        # not help, except after "too many requests" and "request timeout".
        permanent = 300 <= exc.code < 500 and exc.code not in (408, 429)
        raise WebhookError(f"The webhook answered HTTP {exc.code} {exc.reason}", permanent=permanent) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise WebhookError(f"The webhook could not be reached: {reason}") from exc
    except (http.client.HTTPException, ValueError) as exc:
        # A malformed address (saved before it was checked): never repeat it, it is a secret.
        raise WebhookError("The webhook address is malformed: set it again.", permanent=True) from exc
