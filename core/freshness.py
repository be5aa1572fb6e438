"""One version number for everything anonymous visitors see.

Anything a public page shows changes only when an editor publishes,
unpublishes, moves or deletes a page, or saves a snippet, image, document,
site or view restriction. `core.signals` bumps one version number on each of
those; caches that hold public content put `content_version()` in their key,
so one bump forgets all of them at once, in every language, without scanning
keys (stale entries expire on their own).

    html = cached_until_content_changes(f"home-map:{language}", build_map)

Two things keep these reads cheap on a page the page cache missed:
- within `one_content_version()` (the page cache middleware wraps every
  request in it) the version is read from the cache once, not once per use;
- entries keyed on a version never change, so with a shared cache (Redis) each
  process keeps copies in its own local-memory cache (the `local` alias,
  `LOCAL_SECONDS`) and most reads make no round trip.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction

CONTENT_VERSION_KEY = "hub:content:version"
# Entries also expire, so a change made outside the signals (raw SQL, a
# restored backup) shows within this time.
CACHE_SECONDS = 600

# How long a process keeps its own copy of a shared entry: changes no signal
# reports (see CACHE_SECONDS) may show this much later.
LOCAL_SECONDS = 60
LOCAL_CACHE_ALIAS = "local"

T = TypeVar("T")
_MISSING = object()
# The version this request has read, once read ([] until then); None outside one_content_version().
_request_version: ContextVar[list[int] | None] = ContextVar("hub_content_version", default=None)


def _new_version() -> int:
    # Never a number used before: if the cache evicts or loses the version
    # (a local-memory cache culls when full), entries kept under an old
    # version must not come back.
    return time.time_ns() // 1000


def content_version() -> int:
    held = _request_version.get()
    if held:
        return held[0]
    version = cache.get_or_set(CONTENT_VERSION_KEY, _new_version, None)
    if held is not None:
        held.append(version)
    return version


@contextmanager
def one_content_version() -> Iterator[None]:
    """Within: `content_version()` is read from the cache once, and again only after `content_changed()`."""
    token = _request_version.set([])
    try:
        yield
    finally:
        _request_version.reset(token)


def content_changed() -> None:
    """Forget every cache entry keyed on `content_version()`."""
    _bump()
    # A page rendered between this bump and the commit still read the old rows
    # and was cached under the new version: forget it again once committed.
    transaction.on_commit(_bump, robust=True)


def _bump() -> None:
    held = _request_version.get()
    if held:
        held.clear()
    try:
        cache.incr(CONTENT_VERSION_KEY)
    except ValueError:
        cache.set(CONTENT_VERSION_KEY, _new_version(), None)


def _versioned(key: str) -> str:
    return f"hub:content:{content_version()}:{key}"


def cached_until_content_changes(key: str, build: Callable[[], T], seconds: int = CACHE_SECONDS) -> T:
    """`build()`'s result, cached until public content next changes."""
    versioned = _versioned(key)
    found = _get(versioned)
    if found is _MISSING:
        found = build()
        _set(versioned, found, seconds)
    return found


def content_cache_get(key: str, default=None):
    """What `content_cache_set(key, ...)` stored since public content last changed, else `default`.

    For callers that learn the value as a side effect of other work (a rendered
    template fragment) rather than from a `build()` function.
    """
    found = _get(_versioned(key))
    return default if found is _MISSING else found


def content_cache_set(key: str, value, seconds: int = CACHE_SECONDS) -> None:
    _set(_versioned(key), value, seconds)


def _local_cache():
    """This process's own cache for versioned entries, or None when the default cache is local already."""
    return caches[LOCAL_CACHE_ALIAS] if LOCAL_CACHE_ALIAS in settings.CACHES else None


def _get(versioned: str):
    local = _local_cache()
    if local is not None:
        found = local.get(versioned, _MISSING)
        if found is not _MISSING:
            return found
    found = cache.get(versioned, _MISSING)
    if local is not None and found is not _MISSING:
        local.set(versioned, found, LOCAL_SECONDS)
    return found


def _set(versioned: str, value, seconds: int) -> None:
    cache.set(versioned, value, seconds)
    local = _local_cache()
    if local is not None:
        local.set(versioned, value, min(seconds, LOCAL_SECONDS))
