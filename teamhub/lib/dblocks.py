"""A lock held in (or next to) the database, for periodic jobs that must not overlap.

PostgreSQL: a session-level advisory lock, so every process on the database sees it.
SQLite: an exclusive ``flock`` on a file beside the database file, so every process on
that database (which is necessarily on the same machine) sees it. Either way the
operating system or the server frees it when its holder dies, so a killed worker never
leaves it behind; there is no expiry to outlive.
"""

import fcntl
import hashlib
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db import connection


def _advisory_key(name: str) -> int:
    """A stable signed 64-bit key for ``name`` (PostgreSQL advisory locks take a bigint)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


@contextmanager
def database_lock(name: str):
    """Yields True to the one process that holds ``name`` now, False at once to others."""
    if connection.vendor == "postgresql":
        key = _advisory_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            mine = cursor.fetchone()[0]
        try:
            yield mine
        finally:
            if mine:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        # TeamHub runs on PostgreSQL or a SQLite file; anything else is a deployment mistake.
        raise ImproperlyConfigured(f"No database lock for {connection.vendor} (or an in-memory SQLite database).")
    path = Path(f"{connection.settings_dict['NAME']}.lock-{_advisory_key(name) & 0xFFFFFFFFFFFF:012x}")
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def database_lock_waiting(name: str):
    """Hold ``name``, waiting for whoever holds it now: for work that must not run twice
    at once but must run (an organisation's score recompute)."""
    if connection.vendor == "postgresql":
        key = _advisory_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        raise ImproperlyConfigured(f"No database lock for {connection.vendor} (or an in-memory SQLite database).")
    path = Path(f"{connection.settings_dict['NAME']}.lock-{_advisory_key(name) & 0xFFFFFFFFFFFF:012x}")
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
