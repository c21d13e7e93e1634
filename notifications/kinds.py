"""The kinds of message, named by the apps that send them.

This app does not know what a handoff or a survey round is; each sending app
registers its kinds (a TextChoices) when it loads, and pages show their labels.
"""

from collections.abc import Callable

from django.db import models

_labels: dict[str, str] = {}
# kind -> render(delivery) -> (subject, text, html or ""): see register_renderer.
_renderers: dict[str, Callable] = {}


def register(choices: type[models.TextChoices]) -> None:
    _labels.update(dict(choices.choices))


def label(kind: str) -> str:
    """The kind as people read it; an unknown one (an app since removed) reads as itself."""
    return _labels.get(kind, kind.replace("_", " ").capitalize())


def known() -> dict[str, str]:
    return dict(_labels)


def register_renderer(kind: str, render: Callable) -> None:
    """For a kind whose e-mail carries a secret (a customer's personal survey link): the
    e-mail is written when it is sent, by ``render(delivery)`` from what the delivery is
    about, so the stored row and the broker never hold the secret. It returns (subject,
    text, HTML) or (subject, text, HTML, headers), and may raise ``Unreachable`` (the
    thing it was about is gone)."""
    _renderers[kind] = render


def renderer(kind: str) -> Callable | None:
    return _renderers.get(kind)
