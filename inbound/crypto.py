"""Webhook secrets, encrypted at rest.

Both signing schemes are HMACs, so TeamHub needs the secret itself to verify a
delivery: a hash would not do. The secret is encrypted with Fernet under a key derived
from ``SECRET_KEY`` (or ``INBOUND_SECRETS_KEY`` when set, so the two can be rotated
apart). Keys derived from ``SECRET_KEY_FALLBACKS`` still decrypt, so rotating
``SECRET_KEY`` the Django way keeps the stored secrets readable.
"""

import base64
import hashlib
import secrets as random

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

PURPOSE = b"teamhub.inbound.webhook-secrets"


def _fernet_for(key: str) -> Fernet:
    digest = hashlib.sha256(PURPOSE + b"\x00" + key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys() -> list[str]:
    dedicated = getattr(settings, "INBOUND_SECRETS_KEY", "")
    return [dedicated] if dedicated else [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def encrypt(plain: str) -> str:
    return MultiFernet([_fernet_for(key) for key in _keys()]).encrypt(plain.encode()).decode()


def decrypt(token: str) -> str | None:
    """The secret, or None when no current key opens it (a key changed without fallback)."""
    if not token:
        return None
    try:
        return MultiFernet([_fernet_for(key) for key in _keys()]).decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def new_standard_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` and 32 random bytes in base64, as the spec shows them."""
    return "whsec_" + base64.b64encode(random.token_bytes(32)).decode()


def new_typeform_secret() -> str:
    """Typeform takes any string as the secret; 32 random bytes, URL-safe, paste well."""
    return random.token_urlsafe(32)
