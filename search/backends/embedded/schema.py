"""The index file: its tables, its layout version, and the connections to it.

Several web workers may read and write at once: the file runs in WAL mode with
a busy timeout, each thread keeps its own connection, and a rebuild writes a
new file and swaps it in with an atomic rename that readers notice (a thread's
connection is reopened when the file's inode changed; the rebuild itself is in
indexing.py).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from pathlib import Path

from search.backends.base import BackendUnavailable

logger = logging.getLogger(__name__)

# Bump when the tables below change: existing index files are then emptied.
SCHEMA_VERSION = 4
DROP_ALL = """
DROP TABLE IF EXISTS documents;
DROP TABLE IF EXISTS texts;
DROP TABLE IF EXISTS facets;
DROP TABLE IF EXISTS scopes;
DROP TABLE IF EXISTS state;
DROP TABLE IF EXISTS vocabulary;
DROP TABLE IF EXISTS terms;
DROP TABLE IF EXISTS titles;
"""
# A document's id is its scope's number times 2^SCOPE_BITS plus a sequence
# number; a scope is a content language and a site language. A search then
# restricts FTS5 to the scopes it wants with rowid ranges, reading no rows.
SCOPE_BITS = 32
SCHEMA = """
CREATE TABLE IF NOT EXISTS scopes (
    number INTEGER PRIMARY KEY,
    content_language TEXT NOT NULL,
    language TEXT NOT NULL,
    UNIQUE (content_language, language)
);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    language TEXT NOT NULL,
    content_language TEXT NOT NULL,
    facets TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    generation INTEGER NOT NULL
);
-- Long texts live apart: only the page of hits shown reads its text (for the snippet).
CREATE TABLE IF NOT EXISTS texts (
    id INTEGER PRIMARY KEY,
    summary TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_object ON documents (type, object_id);
CREATE INDEX IF NOT EXISTS documents_generation ON documents (generation);
-- One row: a token naming this file, and the number of the last write batch
-- (copied into the rows it wrote), so that readers can tell what changed.
CREATE TABLE IF NOT EXISTS state (token TEXT NOT NULL, generation INTEGER NOT NULL);
INSERT INTO state (token, generation) SELECT lower(hex(randomblob(8))), 0 WHERE NOT EXISTS (SELECT 1 FROM state);
CREATE TABLE IF NOT EXISTS vocabulary (word TEXT PRIMARY KEY, term TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS vocabulary_term ON vocabulary (term);
CREATE VIRTUAL TABLE IF NOT EXISTS terms USING fts5 (
    title, summary, body, tokenize = "unicode61 remove_diacritics 0"
);
CREATE VIRTUAL TABLE IF NOT EXISTS titles USING fts5 (
    words, tokenize = "unicode61 remove_diacritics 0", prefix = '2 3'
);
"""


def scope_range(scope: int) -> tuple[int, int]:
    """The first and last document id of a scope."""
    return scope << SCOPE_BITS, ((scope + 1) << SCOPE_BITS) - 1


def scope_numbers(connection: sqlite3.Connection) -> dict[tuple[str, str], int]:
    """Scope numbers by (content language, language)."""
    rows = connection.execute("SELECT content_language, language, number FROM scopes")
    return {(content_language, language): number for content_language, language, number in rows}


def connect(path: Path) -> sqlite3.Connection:
    """A new connection to the index file at `path`, created or emptied to the current layout if need be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=10, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA busy_timeout=10000")
    # Reads go through a memory map and a 64 MB page cache: the default 2 MB
    # cache makes every large match re-read index pages through the kernel.
    connection.execute("PRAGMA mmap_size=1073741824")
    connection.execute("PRAGMA cache_size=-65536")
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA_VERSION:
        # The index is derived data: an index of an older layout is emptied
        # and must be refilled (`search_index rebuild`; status shows the drift).
        if version:
            logger.warning("search index %s has layout %s, not %s: emptied", path, version, SCHEMA_VERSION)
        connection.executescript(DROP_ALL)
        connection.executescript(SCHEMA)
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return connection


class ThreadConnections:
    """One connection to the index file per thread."""

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()

    def get(self) -> sqlite3.Connection:
        """This thread's connection, reopened when a rebuild swapped the file."""
        try:
            identity = os.stat(self.path).st_ino
        except OSError:
            identity = None
        local = self._local
        if getattr(local, "connection", None) is None or local.identity != identity or identity is None:
            if getattr(local, "connection", None) is not None:
                local.connection.close()
            try:
                local.connection = connect(self.path)
                local.identity = os.stat(self.path).st_ino
            except (sqlite3.Error, OSError) as error:
                local.connection = None
                raise BackendUnavailable(str(error)) from error
        return local.connection
