"""The embedded backend: SQLite FTS5 in its own file, no server.

Text is analysed in Python (search/analysis.py) and FTS5 stores the resulting
terms, so ranking is FTS5's BM25 over the same terms Elasticsearch would index.
Several web workers may read and write at once: the file runs in WAL mode with
a busy timeout, each thread keeps its own connection, and a rebuild writes a
new file and swaps it in with an atomic rename that readers notice.

A search reads its matches twice, both times through FTS5 alone: once for the
document ids (the total and the facet counts come from a per-process copy of
every document's page and facets, `DocumentValues`), and once in bm25 order,
read only as far as the page of hits shown.
"""

from __future__ import annotations

import html
import itertools
import logging
import os
import re
import sqlite3
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from search.analysis import analyze, fold, stem, stem_words, words
from search.backends.base import BackendUnavailable, SearchBackend, SearchHit, SearchQuery, SearchResults
from search.documents import FACET_FIELDS, SearchDocument

logger = logging.getLogger(__name__)

BATCH = 500
PARALLEL_THRESHOLD_BATCHES = 8
TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT = 10.0, 4.0, 1.0
TYPO_MIN_LENGTH = 5
SNIPPET_WORDS = 28
PHRASE = re.compile(r'"([^"]*)"')
SNIPPET_WORD_SPLIT = re.compile(r"([^\W_]+)")
# With no match among a text's first 400 words, the snippet is its beginning.
SNIPPET_SCAN_WORDS = 400

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


FACET_SEPARATOR, VALUE_SEPARATOR = "\n", "="


def encode_facets(document: SearchDocument) -> str:
    """The document's type and facet values as one text column: `facet=value` lines."""
    lines = [f"type{VALUE_SEPARATOR}{document.type}"]
    for name, values in document.facets.items():
        lines += [f"{name}{VALUE_SEPARATOR}{value}" for value in values if value]
    return FACET_SEPARATOR.join(lines)


def analyse_batch(texts: list[tuple[str, str, str, str]]):
    """Analyse (content language, title, summary, body) tuples.

    Returns, for each tuple, its title, summary and body terms and its title's
    folded words (for autocomplete); and the batch's vocabulary for typo
    tolerance, word -> term (a word found in two languages keeps the term of
    the first). Plain tuples in and out: batches cross to worker processes,
    and pickling whole documents both ways cost the writing process more than
    the writing.
    """
    analysed, seen = [], {}
    for language, *fields in texts:
        tokens = [words(text) for text in fields]
        language_words = seen.setdefault(language, set())
        for field_tokens in tokens:
            language_words.update(field_tokens)
        title, summary, body = (" ".join(stem_words(field_tokens, language)) for field_tokens in tokens)
        analysed.append((title, summary, body, " ".join(tokens[0])))
    vocabulary: dict[str, str] = {}
    for language, tokens in seen.items():
        new_words = tokens - vocabulary.keys()
        vocabulary.update({word: stem(word, language) for word in new_words if len(word) >= TYPO_MIN_LENGTH - 1})
    return analysed, vocabulary


def texts_to_analyse(batch: list[SearchDocument]) -> list[tuple[str, str, str, str]]:
    return [(document.content_language, document.title, document.summary, document.body) for document in batch]


def edit_distance_at_most_one(left: str, right: str) -> bool:
    if left == right:
        return True
    if abs(len(left) - len(right)) > 1:
        return False
    if len(left) > len(right):
        left, right = right, left
    for index in range(len(left)):
        if left[index] != right[index]:
            if len(left) == len(right):
                return left[index + 1 :] == right[index + 1 :]
            return left[index:] == right[index + 1 :]
    return True


def scope_range(scope: int) -> tuple[int, int]:
    """The first and last document id of a scope."""
    return scope << SCOPE_BITS, ((scope + 1) << SCOPE_BITS) - 1


Page = tuple[str, int]
FacetPairs = tuple[str, ...]


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


class EmbeddedBackend(SearchBackend):
    name = "embedded"

    def __init__(self, params: dict | None = None):
        super().__init__(params)
        self.path = Path(self.params["PATH"])
        self._local = threading.local()
        self._values = DocumentValues()

    # -- connections -------------------------------------------------------

    def _connect(self, path: Path) -> sqlite3.Connection:
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

    def _connection(self) -> sqlite3.Connection:
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
                local.connection = self._connect(self.path)
                local.identity = os.stat(self.path).st_ino
            except (sqlite3.Error, OSError) as error:
                local.connection = None
                raise BackendUnavailable(str(error)) from error
        return local.connection

    # -- writing -----------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument]) -> int:
        return self._write(self._connection(), documents)

    def _write(self, connection: sqlite3.Connection, documents: Iterable[SearchDocument]) -> int:
        count, words_written = 0, set()
        for batch, analysed, vocabulary in self._analysed_batches(documents):
            # Most words recur in every batch: only words new to this write go to SQLite.
            new_words = vocabulary.keys() - words_written
            count += self._write_batch(connection, batch, analysed, [(word, vocabulary[word]) for word in new_words])
            words_written |= new_words
        return count

    @staticmethod
    def _analysed_batches(documents: Iterable[SearchDocument]):
        """(batch, analysis, vocabulary) for batches of documents, in order. Large inputs
        are analysed in worker processes (one per core) while this process writes, since
        analysis is CPU-bound Python; two batches per worker are read ahead, not the whole
        input."""
        iterator = iter(documents)
        batches = iter(lambda: list(itertools.islice(iterator, BATCH)), [])
        first = list(itertools.islice(batches, PARALLEL_THRESHOLD_BATCHES))
        workers = os.cpu_count() or 1
        if len(first) < PARALLEL_THRESHOLD_BATCHES or workers < 2:
            for batch in itertools.chain(first, batches):
                yield batch, *analyse_batch(texts_to_analyse(batch))
            return
        with ProcessPoolExecutor(max_workers=workers) as pool:
            pending = deque()
            for batch in itertools.chain(first, batches):
                pending.append((batch, pool.submit(analyse_batch, texts_to_analyse(batch))))
                if len(pending) > 2 * workers:
                    ready, analysis = pending.popleft()
                    yield ready, *analysis.result()
            for ready, analysis in pending:
                yield ready, *analysis.result()

    def _write_batch(self, connection: sqlite3.Connection, batch, analysed, vocabulary) -> int:
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute("UPDATE state SET generation = generation + 1")
            (generation,) = connection.execute("SELECT generation FROM state").fetchone()
            keys = [document.key for document in batch]
            existing = dict(
                connection.execute(f"SELECT key, id FROM documents WHERE key IN ({','.join('?' * len(keys))})", keys)
            )
            # Ids are assigned here so that every table is written with executemany.
            document_ids = self._document_ids(connection, batch, existing)
            self._remove(connection, list(existing.values()))
            documents, texts, terms, titles = [], [], [], []
            for document_id, document, (title, summary, body, title_words) in zip(
                document_ids, batch, analysed, strict=True
            ):
                documents.append(
                    (
                        document_id,
                        document.key,
                        document.type,
                        document.object_id,
                        document.language,
                        document.content_language,
                        encode_facets(document),
                        document.url,
                        document.title,
                        generation,
                    )
                )
                texts.append((document_id, document.summary, document.body))
                terms.append((document_id, title, summary, body))
                titles.append((document_id, title_words))
            connection.executemany(
                "INSERT INTO documents"
                " (id, key, type, object_id, language, content_language, facets, url, title, generation)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                documents,
            )
            connection.executemany("INSERT INTO texts (id, summary, body) VALUES (?, ?, ?)", texts)
            connection.executemany("INSERT INTO terms (rowid, title, summary, body) VALUES (?, ?, ?, ?)", terms)
            connection.executemany("INSERT INTO titles (rowid, words) VALUES (?, ?)", titles)
            connection.executemany("INSERT OR IGNORE INTO vocabulary (word, term) VALUES (?, ?)", vocabulary)
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        return len(batch)

    def _document_ids(self, connection: sqlite3.Connection, batch, existing: dict[str, int]) -> list[int]:
        """An id for each document of `batch`: the one it has if it is reindexed in the same
        scope (so that DocumentValues does not grow), else the next one free in its scope."""
        scopes, next_ids, document_ids = self._scopes(connection), {}, []
        for document in batch:
            pair = (document.content_language, document.language)
            if pair not in scopes:
                scopes[pair] = connection.execute(
                    "INSERT INTO scopes (content_language, language) VALUES (?, ?)", pair
                ).lastrowid
            scope = scopes[pair]
            document_id = existing.get(document.key)
            if document_id is None or document_id >> SCOPE_BITS != scope:
                if scope not in next_ids:
                    (last,) = connection.execute(
                        "SELECT MAX(id) FROM documents WHERE id BETWEEN ? AND ?", scope_range(scope)
                    ).fetchone()
                    next_ids[scope] = (last or scope << SCOPE_BITS) + 1
                document_id = next_ids[scope]
                next_ids[scope] += 1
            document_ids.append(document_id)
        return document_ids

    @staticmethod
    def _scopes(connection: sqlite3.Connection) -> dict[tuple[str, str], int]:
        """Scope numbers by (content language, language)."""
        rows = connection.execute("SELECT content_language, language, number FROM scopes")
        return {(content_language, language): number for content_language, language, number in rows}

    def _remove(self, connection: sqlite3.Connection, document_ids: list[int]) -> None:
        if not document_ids:
            return
        marks = ",".join("?" * len(document_ids))
        connection.execute(f"DELETE FROM terms WHERE rowid IN ({marks})", document_ids)
        connection.execute(f"DELETE FROM titles WHERE rowid IN ({marks})", document_ids)
        connection.execute(f"DELETE FROM texts WHERE id IN ({marks})", document_ids)
        connection.execute(f"DELETE FROM documents WHERE id IN ({marks})", document_ids)

    def delete(self, *, type: str, object_ids: Iterable[int]) -> None:
        object_ids = list(object_ids)
        if not object_ids:
            return
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            marks = ",".join("?" * len(object_ids))
            ids = connection.execute(
                f"SELECT id FROM documents WHERE type = ? AND object_id IN ({marks})", [type, *object_ids]
            ).fetchall()
            self._remove(connection, [row[0] for row in ids])
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise

    def rebuild(self, documents: Iterable[SearchDocument]) -> int:
        fresh = self.path.with_name(self.path.name + ".rebuild")
        for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
            leftover.unlink(missing_ok=True)
        connection = self._connect(fresh)
        try:
            # The fresh file is invisible until renamed into place, so durability
            # can wait for the end: write it without a journal.
            connection.execute("PRAGMA journal_mode=OFF")
            connection.execute("PRAGMA synchronous=OFF")
            count = self._write(connection, documents)
            connection.execute("INSERT INTO terms (terms) VALUES ('optimize')")
            connection.execute("PRAGMA synchronous=NORMAL")

        finally:
            connection.close()
        # The rename is atomic: readers see the old index or the new one, never none.
        os.replace(fresh, self.path)
        for stale in (Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
            stale.unlink(missing_ok=True)
        return count

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

    def _known(self, connection, word: str, term: str) -> bool:
        """True when the word, or another form with the same stem, is indexed."""
        found = connection.execute("SELECT 1 FROM vocabulary WHERE word = ? OR term = ? LIMIT 1", (word, term))
        return found.fetchone() is not None

    def _near(self, connection, word: str) -> list[tuple[str, str]]:
        """Indexed (word, term) pairs one edit away from `word` (typo tolerance)."""
        head = word[:1]
        candidates = connection.execute(
            "SELECT word, term FROM vocabulary WHERE word >= ? AND word < ? AND length(word) BETWEEN ? AND ?",
            (head, head + "\U0010ffff", len(word) - 1, len(word) + 1),
        ).fetchall()
        return [(candidate, term) for candidate, term in candidates if edit_distance_at_most_one(word, candidate)][:5]

    def _expression(self, connection, text: str, language: str, corrections: dict[str, str]) -> str | None:
        """An FTS5 match expression for `text` analysed in `language`; None if nothing to match."""
        parts = []
        for phrase in PHRASE.findall(text):
            phrase_terms = analyze(phrase, language)
            if phrase_terms:
                parts.append('"' + " ".join(phrase_terms) + '"')
        for word in words(PHRASE.sub(" ", text)):
            terms = analyze(word, language)
            if not terms:
                continue
            term = terms[0]
            if len(word) < TYPO_MIN_LENGTH or not word.isalpha() or self._known(connection, word, term):
                parts.append(f'"{term}"')
                continue
            near = self._near(connection, word)
            near_terms = list(dict.fromkeys(candidate_term for _word, candidate_term in near if candidate_term != term))
            if near_terms:
                corrections[word] = near[0][0]
                parts.append("(" + " OR ".join(f'"{candidate}"' for candidate in [term, *near_terms]) + ")")
            else:
                parts.append(f'"{term}"')
        if not parts:
            return None
        return " AND ".join(parts)

    def _arms(self, connection, query: SearchQuery, corrections: dict[str, str]) -> list[tuple[str, int, int]]:
        """(FTS5 match expression, first id, last id) for each scope searched.

        A scope is a content language and a requested site language; the
        expression is the query analysed in the content language, with the
        glossary expansions of that language as alternatives.
        """
        scopes = self._scopes(connection)
        arms = []
        for content_language in dict.fromkeys([*query.languages, "en"]):
            alternatives = [self._expression(connection, query.text, content_language, corrections)]
            for extra in query.expansions.get(content_language, ()):
                alternatives.append(self._expression(connection, f'"{extra}"', content_language, {}))
            alternatives = [item for item in alternatives if item]
            if not alternatives:
                continue
            expression = " OR ".join(f"({item})" for item in alternatives)
            for language in query.languages:
                scope = scopes.get((content_language, language))
                if scope is not None:
                    arms.append((expression, *scope_range(scope)))
        return arms

    def search(self, query: SearchQuery) -> SearchResults:
        started = time.perf_counter()
        connection = self._connection()
        corrections: dict[str, str] = {}
        try:
            # One read transaction: every statement below sees the same snapshot of the file.
            connection.execute("BEGIN")
            values = self._values.current(connection)
            arms = self._arms(connection, query, corrections)
            pages = self._matching_pages(connection, arms, values)
            selected, counter = select_and_count(pages, query.filters)
            ranked = self._ranked(connection, arms, values, selected, query)
            shown = self._shown(connection, [document_id for document_id, _rank in ranked])
        except sqlite3.OperationalError as error:
            if "fts5" in str(error) or "syntax" in str(error):
                raise ValueError(f"query not understood: {error}") from error
            raise BackendUnavailable(str(error)) from error
        finally:
            if connection.in_transaction:
                connection.execute("COMMIT")
        counts: dict[str, dict[str, int]] = {name: {} for name in ("type", *FACET_FIELDS)}
        for pair, count in counter.items():
            name, _separator, value = pair.partition(VALUE_SEPARATOR)
            if name in counts:
                counts[name][value] = count
        facets = {
            name: dict(sorted(pairs.items(), key=lambda item: (-item[1], item[0]))) for name, pairs in counts.items()
        }
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
                )
            )
        suggestion = ""
        if corrections:
            # Corrections are found on folded words, so the suggestion is built from them too.
            suggestion = " ".join(corrections.get(word, word) for word in words(query.text))
        return SearchResults(
            total=len(selected),
            hits=hits,
            facets=facets,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            suggestion=suggestion,
            backend=self.name,
        )

    @staticmethod
    def _matching_pages(connection, arms, values) -> dict[Page, FacetPairs]:
        """Every page with a matching document, and its facet pairs: FTS5 reads ids only, no rows."""
        if not arms:
            return {}
        match = "SELECT rowid FROM terms WHERE terms MATCH ? AND rowid BETWEEN ? AND ?"
        rows = connection.execute(" UNION ALL ".join([match] * len(arms)), [value for arm in arms for value in arm])
        document_ids = list(itertools.chain.from_iterable(rows.fetchall()))
        # A page matched in several languages is one entry: the dict keeps one per page.
        pages = map(values.page.__getitem__, document_ids)
        return dict(zip(pages, map(values.facet_pairs.__getitem__, document_ids), strict=True))

    @staticmethod
    def _ranked(connection, arms, values, selected, query: SearchQuery) -> list[tuple[int, float]]:
        """(document id, bm25) of the page of hits shown: the best document of each selected page,
        best first, ties by object id.

        FTS5 computes bm25 and SQLite sorts every match in C; Python reads rows
        only until the page of hits is complete.
        """
        start = (query.page - 1) * query.page_size
        window = min(start + query.page_size, len(selected))
        if start >= window:
            return []
        match = "SELECT rowid, bm25(terms, ?, ?, ?) FROM terms WHERE terms MATCH ? AND rowid BETWEEN ? AND ?"
        cursor = connection.execute(
            " UNION ALL ".join([match] * len(arms)) + " ORDER BY 2, 1",
            [value for arm in arms for value in (TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT, *arm)],
        )
        best: dict[Page, tuple[float, int, int]] = {}
        boundary = None
        try:
            for document_id, rank in cursor:
                if boundary is not None and rank > boundary:
                    break  # pages tied with the last one shown were read too: ties go by object id
                page = values.page[document_id]
                if page in best or page not in selected:
                    continue
                best[page] = (rank, page[1], document_id)
                if len(best) == window:
                    boundary = rank
        finally:
            cursor.close()
        ordered = sorted(best.values())[start:window]
        return [(document_id, rank) for rank, _object_id, document_id in ordered]

    @staticmethod
    def _shown(connection, document_ids: list[int]) -> dict[int, tuple]:
        """The columns a hit shows, and the text its snippet comes from, by document id."""
        if not document_ids:
            return {}
        rows = connection.execute(
            "SELECT d.id, d.type, d.object_id, d.title, d.url, d.language, d.content_language, t.summary, t.body"
            f" FROM documents d JOIN texts t ON t.id = d.id WHERE d.id IN ({','.join('?' * len(document_ids))})",
            document_ids,
        )
        return {row[0]: row[1:] for row in rows}

    def suggest(self, prefix: str, language: str, limit: int = 8) -> list[str]:
        folded = words(prefix)
        if not folded:
            return []
        expression = (
            "{words} : "
            + " AND ".join(f'"{word}"' for word in folded[:-1])
            + (" AND " if len(folded) > 1 else "")
            + f'"{folded[-1]}"*'
        )
        rows = self._connection().execute(
            "SELECT DISTINCT d.title FROM titles JOIN documents d ON d.id = titles.rowid"
            " WHERE titles MATCH ? AND d.language = ? ORDER BY bm25(titles) LIMIT ?",
            (expression, language, limit),
        )
        return [title for (title,) in rows]


def select_and_count(pages: dict[Page, FacetPairs], filters: dict[str, tuple[str, ...]]):
    """The pages passing every filter, and facet pair counts: each facet's counts apply
    every filter but its own. Counter does the counting in C."""
    filter_pairs = {
        name: {f"{name}{VALUE_SEPARATOR}{value}" for value in values} for name, values in filters.items() if values
    }
    if not filter_pairs:
        return pages, Counter(itertools.chain.from_iterable(pages.values()))
    selected, counter = {}, Counter()
    for page, pairs in pages.items():
        present = set(pairs)
        failed = [name for name, wanted in filter_pairs.items() if present.isdisjoint(wanted)]
        if not failed:
            selected[page] = pairs
            counter.update(pairs)
        elif len(failed) == 1:
            prefix = failed[0] + VALUE_SEPARATOR
            counter.update(pair for pair in pairs if pair.startswith(prefix))
    return selected, counter


@lru_cache(maxsize=100_000)
def _term(token: str, language: str) -> str:
    return stem(fold(token), language)


def snippet(text: str, query: str, language: str, size: int = SNIPPET_WORDS) -> str:
    """An HTML-escaped excerpt of `text` around the first match, matches in <mark>."""
    wanted = set(analyze(PHRASE.sub(lambda match: match.group(1), query), language))
    # Gaps and words alternate: pieces[2n + 1] is word n. Only words that a window
    # could reach are split off; words are letters and digits, with nothing to escape.
    pieces = SNIPPET_WORD_SPLIT.split(text, SNIPPET_SCAN_WORDS + size)
    words_read = pieces[1::2]
    if not words_read:
        return ""
    first = None
    if wanted:
        scanned = words_read[:SNIPPET_SCAN_WORDS]
        first = next((index for index, word in enumerate(scanned) if _term(word, language) in wanted), None)
    start = max(0, (first or 0) - size // 3)
    end = min(start + size, len(words_read))
    parts = []
    for index in range(start, end):
        if index > start:
            parts.append(html.escape(pieces[2 * index]))
        word = words_read[index]
        parts.append(f"<mark>{word}</mark>" if wanted and _term(word, language) in wanted else word)
    prefix = "… " if start > 0 else ""
    suffix = " …" if any(piece.strip() for piece in pieces[2 * end :]) else ""
    return prefix + "".join(parts) + suffix
