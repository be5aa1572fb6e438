"""The per-process cache: every document's page and facet pairs in memory (`DocumentValues`),
kept up to date from the index file's write generations."""

from __future__ import annotations

import sqlite3
import sys
import threading
from typing import NamedTuple

from search.backends.embedded.ranking import FACET_SEPARATOR, FacetPairs, Page


class Values(NamedTuple):
    """What a search needs of each document, by document id, as of one generation of one file."""

    token: str
    generation: int
    page: dict[int, Page]
    facet_pairs: dict[int, FacetPairs]


class DocumentValues:
    """Every document's page (type, object id) and facet pairs, in memory.

    Counting a search's matches by facet then reads no rows: with thousands of
    matches, reading each row from SQLite costs more than the rest of the
    search. One copy per backend, shared by its threads. Each write batch
    stamps its rows with the next generation number; a search brings the copy
    up to the generation its snapshot of the file has, reading only the rows
    written since. Deleted documents keep their entries (FTS5 never returns
    their ids again) until the file is replaced; a reindexed document keeps
    its id, so reindexing does not grow the copy.
    """

    def __init__(self):
        self._lock = threading.Lock()
        # Replaced as a whole, so that readers need no lock.
        self._values = Values(token="", generation=0, page={}, facet_pairs={})
        # One tuple per page and per set of facet pairs, shared by the documents that have it.
        self._shared: dict[tuple, tuple] = {}

    def current(self, connection: sqlite3.Connection) -> Values:
        """The values of every document `connection` sees; call it inside a read transaction."""
        token, generation = connection.execute("SELECT token, generation FROM state").fetchone()
        values = self._values
        if token == values.token and generation <= values.generation:
            return values
        with self._lock:
            values = self._values
            if token != values.token:
                # Another file (a rebuild swapped it in): start afresh.
                values = Values(token=token, generation=-1, page={}, facet_pairs={})
                self._shared = {}
            if generation > values.generation:
                # The first load reads the table in order; later ones only the rows written since.
                condition, parameters = ("WHERE generation > ?", (values.generation,)) if values.page else ("", ())
                rows = connection.execute(f"SELECT id, type, object_id, facets FROM documents {condition}", parameters)
                shared, decoded = self._shared, {}
                for document_id, type_, object_id, encoded in rows:
                    pairs = decoded.get(encoded)
                    if pairs is None:
                        pairs = tuple(map(sys.intern, encoded.split(FACET_SEPARATOR)))
                        pairs = decoded[encoded] = shared.setdefault(pairs, pairs)
                    page = (sys.intern(type_), object_id)
                    values.page[document_id] = shared.setdefault(page, page)
                    values.facet_pairs[document_id] = pairs
                self._values = values._replace(generation=generation)
            return self._values
