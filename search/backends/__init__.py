"""Backends are configured like Django's caches: `settings.SEARCH_BACKENDS`, by alias.

`settings.SEARCH_BACKEND` names the one that answers queries; every configured
backend receives index updates, so the embedded index can answer when
Elasticsearch cannot.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from search.backends.base import BackendUnavailable, SearchBackend

__all__ = ["BackendUnavailable", "SearchBackend", "backend_aliases", "get_backend", "reset_backends"]


def backend_aliases() -> list[str]:
    """The configured backends that keep an index, so receive every index update."""
    return [alias for alias in settings.SEARCH_BACKENDS if get_backend(alias).keeps_index]


@cache
def get_backend(alias: str | None = None) -> SearchBackend:
    alias = alias or settings.SEARCH_BACKEND
    config = dict(settings.SEARCH_BACKENDS[alias])
    backend_class = import_string(config.pop("BACKEND"))
    backend = backend_class(config)
    # Not `alias`: the Elasticsearch backend names its index alias so.
    backend.configured_as = alias
    return backend


def reset_backends() -> None:
    """Forget loaded backends (after a settings change in tests)."""
    get_backend.cache_clear()
