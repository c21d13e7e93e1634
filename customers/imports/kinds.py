"""Kinds of import: what a CSV file is imported as.

The pipeline (upload, mapping with suggestions, preview, a background run with
progress, row errors, all or nothing) is the same for every kind. Accounts and contacts
are this app's own kind, built in. Apps above customers/ add theirs by registering an
:class:`ImportKind` when they load (``AppConfig.ready``), so this layer never imports
them: it calls what they registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from customers.imports.parsing import Target
    from customers.models import CustomerImport

ACCOUNTS = "accounts"

# cells: {field key: the cell's text, stripped}, for the mapped fields only.
NumberedCells = tuple[int, dict[str, str]]


@dataclass(frozen=True)
class ImportKind:
    """A kind of import registered by a higher app.

    ``check(customer_import, rows)`` reads every row (number as a spreadsheet shows it,
    cells by field) against the organisation's data and returns what to write and the
    row errors ({row, column, reason}); it writes nothing. ``write(customer_import,
    prepared, progress)`` runs inside the run's one transaction and returns the counts
    shown on the import's page ({label: number}). ``required`` are the fields a mapping
    must name.
    """

    key: str
    label: str
    targets: tuple[Target, ...]
    required: tuple[str, ...]
    check: Callable[[CustomerImport, list[NumberedCells]], tuple[object, list[dict]]]
    write: Callable[[CustomerImport, object, Callable], dict[str, int]]
    description: str = ""
    targets_by_key: dict[str, Target] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "targets_by_key", {target.key: target for target in self.targets})


_kinds: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> ImportKind:
    if kind.key == ACCOUNTS:
        raise ValueError(f"“{ACCOUNTS}” is the built-in kind")
    _kinds[kind.key] = kind
    return kind


def get(key: str) -> ImportKind | None:
    """The registered kind; None for the built-in accounts import (and an unknown key)."""
    return _kinds.get(key)


def keys() -> list[str]:
    return [ACCOUNTS, *_kinds]
