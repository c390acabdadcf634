"""
How often something may happen per key (an address, an account, an IP) in a
window of time, counted in the cache: with a shared cache (Redis) every
worker and host counts together; with the in-memory default, each process
counts on its own.
"""

import hashlib

from django.core.cache import cache

HOUR = 60 * 60


def event_count(scope, key, *, period):
    """
    Count one more event for `key` and return how many there have been in
    the window that started with the first of them and lasts `period`
    seconds.
    """
    cache_key = window_key(scope, key)
    cache.add(cache_key, 0, timeout=period)
    try:
        return cache.incr(cache_key)
    except ValueError:  # the window ended between add() and incr()
        cache.add(cache_key, 1, timeout=period)
        return 1


def is_within_limit(scope, key, *, limit, period):
    """Count one more event for `key`, and say whether it is within `limit`."""
    return event_count(scope, key, period=period) <= limit


def events_so_far(scope, key):
    """How many events the current window of `key` holds, counting none."""
    return cache.get(window_key(scope, key), 0)


def window_key(scope, key):
    # Hashed: addresses and user agents may hold characters, and lengths,
    # that some cache servers refuse in a key.
    digest = hashlib.sha256(str(key).lower().encode()).hexdigest()[:32]
    return f"rate:{scope}:{digest}"
