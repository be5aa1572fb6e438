"""The contract every search backend fulfils; tests/search/test_backend_contract.py checks it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from core.searchable import SearchDocument


@dataclass(frozen=True)
class SearchQuery:
    """A visitor's search, already validated.

    `terms` is the raw query text; quoted parts are phrases. `languages` are the
    site languages to search (one, or all of them); `expansions` maps a site
    language to extra phrases (glossary terms) that also match.
    """

    text: str
    language: str
    languages: tuple[str, ...]
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    expansions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    page_size: int = 10


@dataclass(frozen=True)
class SearchHit:
    type: str
    object_id: int
    title: str
    url: str
    language: str
    snippet: str
    score: float


@dataclass
class SearchResults:
    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]
    took_ms: float = 0.0
    suggestion: str = ""
    backend: str = ""
    degraded: bool = False


class BackendUnavailable(Exception):
    """The backend cannot answer now (server down, timeout); callers fall back."""


class SearchBackend:
    """Base class: each method documents what every backend must do."""

    name = "base"
    # False for a backend that reads the database directly and keeps nothing:
    # the outbox then sends it no updates.
    keeps_index = True

    def __init__(self, params: dict | None = None):
        self.params = params or {}

    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace `documents` (matched on `SearchDocument.key`); return how many.

        A page's documents for languages absent from `documents` are left alone:
        call `delete` first to drop a page entirely.
        """
        raise NotImplementedError

    def delete(self, *, type: str, object_ids: Iterable[int]) -> None:
        """Remove every language's document of these objects; unknown ids are ignored."""
        raise NotImplementedError

    def search(self, query: SearchQuery) -> SearchResults:
        """Ranked hits for `query` with facet counts.

        Every query term must match (after analysis in each document's content
        language); title weighs more than summary, summary more than body.
        Facet counts cover all matching documents with every filter applied
        except the facet's own. Raises BackendUnavailable when it cannot answer.
        """
        raise NotImplementedError

    def suggest(self, prefix: str, language: str, limit: int = 8) -> list[str]:
        """Titles in `language` with a word starting with `prefix` (autocomplete)."""
        raise NotImplementedError

    def stats(self) -> dict[tuple[str, str], int]:
        """Number of indexed documents per (type, language)."""
        raise NotImplementedError

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        """Replace the whole index with `documents` without a moment of empty results."""
        raise NotImplementedError

    def ping(self) -> bool:
        """True when the backend answers now."""
        return True
