"""The contract every search backend fulfils; tests/search/test_backend_contract.py checks it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings

from core.searchable import SearchDocument
from search.query import Expansion


@dataclass(frozen=True)
class SearchQuery:
    """A visitor's search, already validated.

    `text` is the raw query text; quoted parts are phrases. `language` is the
    reader's; `languages` are the site languages to search (one, or all of
    them). `expansions` are the glossary concepts the text names
    (`search.query.named_concepts`): where a document's language has terms for
    a concept, any of them matches in place of the words that named it.
    """

    text: str
    language: str
    languages: tuple[str, ...]
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    expansions: tuple[Expansion, ...] = ()
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
    # The language the title and snippet are written in (`language` is the site language of `url`).
    content_language: str = ""


@dataclass
class SearchResults:
    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]
    took_ms: float = 0.0
    suggestion: str = ""
    backend: str = ""
    degraded: bool = False


def shown_language(available: dict[str, str], *, reader: str, found: str) -> str:
    """Which of a page's documents stands for it in the hits: the site language of the one shown.

    `available` maps the site languages searched that have a document of the
    page to the language its text is in; `found` is the best-matching one. A
    page appears once: in the reader's language when that version exists
    (its address keeps the reader's interface, even where its text falls back
    to English), then in English, then as found.
    """
    if reader in available:
        return reader
    default = settings.LANGUAGE_CODE
    if default in available:
        return default
    return next((language for language, written in available.items() if written == default), found)


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
        language); title weighs more than summary, summary more than body, and
        each type's score is multiplied by its `search_weight`
        (core.searchable). A page matching in several languages is one hit,
        ranked by its best document and shown as `shown_language` picks.
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
