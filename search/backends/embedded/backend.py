"""`EmbeddedBackend`: the SearchBackend contract, put together from the modules beside it."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from search.backends.base import BackendUnavailable, SearchBackend, SearchHit, SearchQuery, SearchResults
from search.backends.embedded import indexing
from search.backends.embedded.cache import DocumentValues
from search.backends.embedded.query import corrected, match_arms, title_prefix_expression
from search.backends.embedded.ranking import (
    facet_counts,
    matching_pages,
    ranked_hits,
    select_and_count,
    shown_documents,
    shown_rows,
)
from search.backends.embedded.schema import ThreadConnections
from search.backends.embedded.snippets import snippet

if TYPE_CHECKING:
    from core.searchable import SearchDocument


class EmbeddedBackend(SearchBackend):
    name = "embedded"

    def __init__(self, params: dict | None = None):
        super().__init__(params)
        self.path = Path(self.params["PATH"])
        self._connections = ThreadConnections(self.path)
        self._values = DocumentValues()

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, reopened when a rebuild swapped the file."""
        return self._connections.get()

    # -- writing -----------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> int:
        return indexing.write(self._connection(), documents)

    def delete(self, *, type: str, object_ids: Iterable[int]) -> None:
        object_ids = list(object_ids)
        if not object_ids:
            return
        indexing.delete(self._connection(), type, object_ids)

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        return indexing.rebuild(self.path, documents)

    # -- reading -----------------------------------------------------------

    def stats(self) -> dict[tuple[str, str], int]:
        rows = self._connection().execute("SELECT type, language, COUNT(*) FROM documents GROUP BY type, language")
        return {(type_, language): count for type_, language, count in rows}

    def ping(self) -> bool:
        try:
            self._connection().execute("SELECT 1")
        except (sqlite3.Error, OSError, BackendUnavailable):
            return False
        return True

    def search(self, query: SearchQuery) -> SearchResults:
        started = time.perf_counter()
        connection = self._connection()
        corrections: dict[str, str] = {}
        try:
            # One read transaction: every statement below sees the same snapshot of the file.
            connection.execute("BEGIN")
            values = self._values.current(connection)
            arms = match_arms(connection, query, corrections)
            pages = matching_pages(connection, arms, values)
            selected, counter = select_and_count(pages, query.filters)
            ranked = shown_documents(connection, ranked_hits(connection, arms, values, selected, query), values, query)
            shown = shown_rows(connection, [document_id for document_id, _rank in ranked])
        except sqlite3.OperationalError as error:
            if "fts5" in str(error) or "syntax" in str(error):
                raise ValueError(f"query not understood: {error}") from error
            raise BackendUnavailable(str(error)) from error
        finally:
            if connection.in_transaction:
                connection.execute("COMMIT")
        facets = facet_counts(counter)
        hits = []
        for document_id, rank in ranked:
            type_, object_id, title, url, language, content_language, summary, body = shown[document_id]
            hits.append(
                SearchHit(
                    type=type_,
                    object_id=object_id,
                    title=title,
                    url=url,
                    language=language,
                    snippet=snippet(summary + " " + body, query.text, content_language),
                    score=round(-rank, 4),
                    content_language=content_language,
                )
            )
        suggestion = ""
        if corrections:
            suggestion = corrected(query.text, corrections)
        return SearchResults(
            total=len(selected),
            hits=hits,
            facets=facets,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            suggestion=suggestion,
            backend=self.name,
        )

    def suggest(self, prefix: str, language: str, limit: int = 8) -> list[str]:
        expression = title_prefix_expression(prefix)
        if expression is None:
            return []
        rows = self._connection().execute(
            "SELECT DISTINCT d.title FROM titles JOIN documents d ON d.id = titles.rowid"
            " WHERE titles MATCH ? AND d.language = ? ORDER BY bm25(titles) LIMIT ?",
            (expression, language, limit),
        )
        return [title for (title,) in rows]
