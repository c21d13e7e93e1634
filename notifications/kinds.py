"""The kinds of message, named by the apps that send them.

This app does not know what a handoff or a survey round is; each sending app
registers its kinds (a TextChoices) when it loads, and pages show their labels.
"""

from django.db import models

_labels: dict[str, str] = {}


def register(choices: type[models.TextChoices]) -> None:
    _labels.update(dict(choices.choices))


def label(kind: str) -> str:
    """The kind as people read it; an unknown one (an app since removed) reads as itself."""
    return _labels.get(kind, kind.replace("_", " ").capitalize())


def known() -> dict[str, str]:
    return dict(_labels)
