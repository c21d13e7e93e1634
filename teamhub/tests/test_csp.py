"""The Content-Security-Policy: strict everywhere, one relaxation on the API docs page."""

import pytest

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


def test_pages_allow_only_their_own_scripts_and_styles(client):
    policy = _directives(client.get("/login/"))

    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


def test_swagger_ui_may_use_inline_styles_but_still_no_inline_script(client):
    policy = _directives(client.get("/api/docs/"))

    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-inline'" not in policy["script-src"]
