"""Test plumbing shared by every app's tests and the cross-cutting harnesses. The
personas (an organisation's admin, manager and member) are accounts' own:
``accounts.testing``."""

import os

import pytest
from django.urls import reverse


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(available: bool, reason: str) -> None:
    """Skip a test whose service is missing, with the reason; under CI=true, fail instead."""
    if available:
        return
    if in_ci():
        pytest.fail(f"Required under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def api_url(name: str, org: str = "acme", **kwargs) -> str:
    """An organisation-scoped API URL by name (Acme's unless ``org`` says otherwise)."""
    return reverse(name, kwargs={"org_slug": org, **kwargs})


def error_fields(response) -> dict:
    """The per-field messages of the API's one error shape."""
    return response.json()["error"]["fields"]
