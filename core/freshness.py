"""One version number for everything anonymous visitors see.

Anything a public page shows changes only when an editor publishes,
unpublishes, moves or deletes a page, or saves a snippet, image, document,
site or view restriction. `core.signals` bumps one version number on each of
those; caches that hold public content put `content_version()` in their key,
so one bump forgets all of them at once, in every language, without scanning
keys (stale entries expire on their own).

    html = cached_until_content_changes(f"home-map:{language}", build_map)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

CONTENT_VERSION_KEY = "hub:content:version"
# Entries also expire, so a change made outside the signals (raw SQL, a
# restored backup) shows within this time.
CACHE_SECONDS = 600

T = TypeVar("T")
_MISSING = object()


def _new_version() -> int:
    # Never a number used before: if the cache evicts or loses the version
    # (a local-memory cache culls when full), entries kept under an old
    # version must not come back.
    return time.time_ns() // 1000


def content_version() -> int:
    return cache.get_or_set(CONTENT_VERSION_KEY, _new_version, None)


def content_changed() -> None:
    """Forget every cache entry keyed on `content_version()`."""
    _bump()
    # A page rendered between this bump and the commit still read the old rows
    # and was cached under the new version: forget it again once committed.
    transaction.on_commit(_bump, robust=True)


def _bump() -> None:
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        cache.set(CONTENT_VERSION_KEY, _new_version(), None)


def _versioned(key: str) -> str:
    return f"hub:content:{content_version()}:{key}"


def cached_until_content_changes(key: str, build: Callable[[], T], seconds: int = CACHE_SECONDS) -> T:
    """`build()`'s result, cached until public content next changes."""
    versioned = _versioned(key)
    found = cache.get(versioned, _MISSING)
    if found is _MISSING:
        found = build()
        cache.set(versioned, found, seconds)
    return found


def content_cache_get(key: str, default=None):
    """What `content_cache_set(key, ...)` stored since public content last changed, else `default`.

    For callers that learn the value as a side effect of other work (a rendered
    template fragment) rather than from a `build()` function.
    """
    return cache.get(_versioned(key), default)


def content_cache_set(key: str, value, seconds: int = CACHE_SECONDS) -> None:
    cache.set(_versioned(key), value, seconds)
