"""A circuit breaker per search backend: after a failure, skip it for a while.

A dead or hung Elasticsearch costs each search its timeout (about a second).
Once a backend has failed (`BackendUnavailable`, which covers timeouts), the
breaker is open for `settings.SEARCH_BREAKER_SECONDS`: searches go straight to
the fallback and cost the visitor nothing. When that time is up, the next
search tries the backend again (half-open): success closes the breaker,
failure opens it for another period.

State is per process (each gunicorn worker learns of an outage from its own
first failure), so checking it costs no I/O.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings

_lock = threading.Lock()
# alias -> time.monotonic() until which the backend is skipped.
_open_until: dict[str, float] = {}


def _seconds() -> float:
    return float(getattr(settings, "SEARCH_BREAKER_SECONDS", 30))


def breaker_allows(alias: str) -> bool:
    """Whether to try `alias` now: closed, or open but due for a trial.

    Only one caller gets the trial once the period is over; the others keep
    skipping until it succeeds or fails.
    """
    with _lock:
        until = _open_until.get(alias)
        if until is None:
            return True
        now = time.monotonic()
        if now < until:
            return False
        # Half-open: let this caller try; the others skip while it does.
        _open_until[alias] = now + _seconds()
        return True


def breaker_failure(alias: str) -> None:
    with _lock:
        _open_until[alias] = time.monotonic() + _seconds()


def breaker_success(alias: str) -> None:
    with _lock:
        _open_until.pop(alias, None)


def breaker_is_open(alias: str) -> bool:
    with _lock:
        until = _open_until.get(alias)
        return until is not None and time.monotonic() < until


def breaker_reset() -> None:
    """Close every breaker (tests; a settings change)."""
    with _lock:
        _open_until.clear()
