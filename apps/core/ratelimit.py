"""Per-address limits kept in the cache (fixed windows): cheap counters for abuse, not records."""

from django.core.cache import cache


def address_hit(*, scope: str, address: str | None, limit: int, window_seconds: int) -> bool:
    """Count one request of `address` in `scope`; True while it stays within `limit` a window.

    An unknown address (None) shares one counter, so a misconfigured proxy errs towards refusing.
    """
    key = f"ratelimit:{scope}:{address or 'unknown'}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
