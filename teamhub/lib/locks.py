"""A best-effort lock for periodic jobs, in the cache that web and workers share.

Used where running twice at once is *correct* but wasteful (two beat processes, a
message redelivered while the first copy still runs): correctness comes from the
job's own conditional updates and unique rows, never from this lock, which may be lost
with the cache and expires on its own after ``seconds``.
"""

import secrets
from contextlib import contextmanager

from django.core.cache import cache


@contextmanager
def held_once(name: str, *, seconds: int):
    """Yields True to the one caller that holds ``name`` now, False to the others."""
    key, token = f"lock:{name}", secrets.token_hex(8)
    mine = cache.add(key, token, timeout=seconds)
    try:
        yield mine
    finally:
        if mine and cache.get(key) == token:
            cache.delete(key)
