"""A small fixed-window rate limit in the cache web processes share.

For public pages that take no login (a customer's survey link): each caller (an
address, a token's digest) may make ``limit`` requests per ``seconds``. It fails open
when the cache loses its counters — a limit is a brake on guessing and floods, not a
guarantee — and keys hold only what the caller passes, so pass digests, not secrets.
"""

import time

from django.core.cache import cache


def allow(scope: str, key: str, *, limit: int, seconds: int) -> bool:
    """Count one request of ``key`` in ``scope``; False once it passed ``limit`` in this window."""
    window = int(time.time() // seconds)
    name = f"ratelimit:{scope}:{key}:{window}"
    # add() then incr(): the first request of a window creates the counter, atomically.
    if cache.add(name, 1, timeout=seconds + 1):
        return True
    try:
        return cache.incr(name) <= limit
    except ValueError:  # expired between the two calls: a new window has begun
        cache.add(name, 1, timeout=seconds + 1)
        return True


def client_address(request) -> str:
    """The caller's address as the web server saw it (a proxy in front is one caller;
    PROXY_COUNT trusted proxies' forwarded address is used when set, as for logins)."""
    from django.conf import settings

    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
