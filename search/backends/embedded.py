"""The embedded backend: SQLite FTS5 in its own file, no server.

Text is analysed in Python (search/analysis.py) and FTS5 stores the resulting
terms, so ranking is FTS5's BM25 over the same terms Elasticsearch would index.
Several web workers may read and write at once: the file runs in WAL mode with
a busy timeout, each thread keeps its own connection, and a rebuild writes a
new file and swaps it in with an atomic rename that readers notice.
"""

from __future__ import annotations

import html
import itertools
import logging
import os
import re
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

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
SNIPPET_WORD = re.compile(r"[^\W_]+")

# Bump when the tables below change: existing index files are then emptied.
SCHEMA_VERSION = 3
DROP_ALL = """
DROP TABLE IF EXISTS documents;
DROP TABLE IF EXISTS texts;
DROP TABLE IF EXISTS facets;
DROP TABLE IF EXISTS vocabulary;
DROP TABLE IF EXISTS terms;
DROP TABLE IF EXISTS titles;
"""
SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    language TEXT NOT NULL,
    content_language TEXT NOT NULL,
    facets TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL
);
-- Long texts live apart: a match reads only the small row above, and only the
-- page of hits shown reads its text (for the snippet).
CREATE TABLE IF NOT EXISTS texts (
    id INTEGER PRIMARY KEY,
    summary TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_object ON documents (type, object_id);
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
    pairs = [("type", document.type)]
    pairs += [(name, value) for name, values in document.facets.items() for value in values if value]
    return FACET_SEPARATOR.join(f"{name}{VALUE_SEPARATOR}{value}" for name, value in pairs)


def prepare_batch(batch: list[SearchDocument]):
    """Analyse documents: their per-field terms, and the (word, term) vocabulary for typo tolerance."""
    prepared, seen = [], {}
    for document in batch:
        language = document.content_language
        fields = []
        for text in (document.title, document.summary, document.body):
            tokens = words(text)
            fields.append(" ".join(stem_words(tokens, language)))
            seen.setdefault(language, set()).update(tokens)
        prepared.append((document, fields))
    vocabulary = [
        (word, stem(word, language))
        for language, tokens in seen.items()
        for word in tokens
        if len(word) >= TYPO_MIN_LENGTH - 1
    ]
    return prepared, vocabulary


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


class EmbeddedBackend(SearchBackend):
    name = "embedded"

    def __init__(self, params: dict | None = None):
        super().__init__(params)
        self.path = Path(self.params["PATH"])
        self._local = threading.local()

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
        count = 0
        for prepared, vocabulary in self._prepared_batches(documents):
            count += self._write_batch(connection, prepared, vocabulary)
        return count

    @staticmethod
    def _prepared_batches(documents: Iterable[SearchDocument]):
        """Analysed batches, in order. Large inputs are analysed in worker processes
        (one per core) while this process writes, since analysis is CPU-bound Python."""
        iterator = iter(documents)
        first = list(itertools.islice(iterator, BATCH * PARALLEL_THRESHOLD_BATCHES))
        batches = (first[start : start + BATCH] for start in range(0, len(first), BATCH))
        if len(first) < BATCH * PARALLEL_THRESHOLD_BATCHES or (os.cpu_count() or 1) < 2:
            for batch in batches:
                yield prepare_batch(batch)
            for batch in iter(lambda: list(itertools.islice(iterator, BATCH)), []):
                yield prepare_batch(batch)
            return
        rest = iter(lambda: list(itertools.islice(iterator, BATCH)), [])
        with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
            # map() keeps order and reads ahead only as far as the pool needs.
            yield from pool.map(prepare_batch, itertools.chain(batches, rest), chunksize=1)

    def _write_batch(self, connection: sqlite3.Connection, prepared, vocabulary) -> int:
        batch = [document for document, _fields in prepared]
        connection.execute("BEGIN IMMEDIATE")
        try:
            keys = [document.key for document in batch]
            existing = connection.execute(
                f"SELECT id FROM documents WHERE key IN ({','.join('?' * len(keys))})", keys
            ).fetchall()
            self._remove(connection, [row[0] for row in existing])
            # Ids are assigned here so that every table is written with executemany.
            first_id = (connection.execute("SELECT MAX(id) FROM documents").fetchone()[0] or 0) + 1
            documents, texts, terms, titles = [], [], [], []
            for document_id, (document, fields) in enumerate(prepared, start=first_id):
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
                    )
                )
                texts.append((document_id, document.summary, document.body))
                terms.append((document_id, *fields))
                titles.append((document_id, " ".join(words(document.title))))
            connection.executemany(
                "INSERT INTO documents (id, key, type, object_id, language, content_language, facets, url, title)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
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

    def search(self, query: SearchQuery) -> SearchResults:
        started = time.perf_counter()
        connection = self._connection()
        corrections: dict[str, str] = {}
        content_languages = list(dict.fromkeys([*query.languages, "en"]))
        arms, parameters = [], []
        marks = ",".join("?" * len(query.languages))
        for content_language in content_languages:
            alternatives = [self._expression(connection, query.text, content_language, corrections)]
            for extra in query.expansions.get(content_language, ()):
                alternatives.append(self._expression(connection, f'"{extra}"', content_language, {}))
            alternatives = [item for item in alternatives if item]
            if not alternatives:
                continue
            arms.append(
                "SELECT d.id, bm25(terms, ?, ?, ?), d.type, d.object_id, d.facets"
                " FROM terms JOIN documents d ON d.id = terms.rowid"
                f" WHERE terms MATCH ? AND d.content_language = ? AND d.language IN ({marks})"
            )
            parameters += [
                TITLE_WEIGHT,
                SUMMARY_WEIGHT,
                BODY_WEIGHT,
                " OR ".join(f"({item})" for item in alternatives),
                content_language,
                *query.languages,
            ]
        matches = []
        if arms:
            try:
                matches = connection.execute(" UNION ALL ".join(arms), parameters).fetchall()
            except sqlite3.OperationalError as error:
                if "fts5" in str(error) or "syntax" in str(error):
                    raise ValueError(f"query not understood: {error}") from error
                raise BackendUnavailable(str(error)) from error

        # Facets, filters and ranking run in Python over the compact match rows:
        # one pass, whatever the number of facets or filters. Facet values stay
        # encoded as "facet=value" strings; Counter does the counting in C.
        if len(query.languages) > 1:
            best: dict[tuple[str, int], tuple] = {}
            for row in matches:
                key = (row[2], row[3])
                if key not in best or row[1] < best[key][1]:
                    best[key] = row
            matches = list(best.values())
        filter_pairs = {
            name: {f"{name}{VALUE_SEPARATOR}{value}" for value in values}
            for name, values in query.filters.items()
            if values
        }
        counter: Counter[str] = Counter()
        selected = []
        if not filter_pairs:
            selected = [(rank, object_id, document_id) for document_id, rank, _type, object_id, _encoded in matches]
            counter = Counter(
                itertools.chain.from_iterable(encoded.split(FACET_SEPARATOR) for *_rest, encoded in matches)
            )
        for document_id, rank, _type, object_id, encoded in matches if filter_pairs else ():
            pairs = encoded.split(FACET_SEPARATOR)
            present = set(pairs)
            failed = [name for name, wanted in filter_pairs.items() if present.isdisjoint(wanted)]
            if not failed:
                selected.append((rank, object_id, document_id))
                counter.update(pairs)
            elif len(failed) == 1:
                # Counts for a facet apply every filter but its own.
                prefix = failed[0] + VALUE_SEPARATOR
                counter.update(pair for pair in pairs if pair.startswith(prefix))
        counts: dict[str, dict[str, int]] = {name: {} for name in ("type", *FACET_FIELDS)}
        for pair, count in counter.items():
            name, _separator, value = pair.partition(VALUE_SEPARATOR)
            if name in counts:
                counts[name][value] = count
        facets = {
            name: dict(sorted(values.items(), key=lambda item: (-item[1], item[0]))) for name, values in counts.items()
        }
        total = len(selected)
        selected.sort()
        start = (query.page - 1) * query.page_size
        ranked = [(document_id, rank) for rank, _object_id, document_id in selected[start : start + query.page_size]]
        texts = {}
        if ranked:
            marks = ",".join("?" * len(ranked))
            for row in connection.execute(
                "SELECT d.id, d.type, d.object_id, d.title, d.url, d.language, d.content_language, t.summary, t.body"
                f" FROM documents d JOIN texts t ON t.id = d.id WHERE d.id IN ({marks})",
                [document_id for document_id, _rank in ranked],
            ):
                texts[row[0]] = row[1:]
        hits = []
        for document_id, rank in ranked:
            type_, object_id, title, url, language, content_language, summary, body = texts[document_id]
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
            total=total,
            hits=hits,
            facets=facets,
            took_ms=round((time.perf_counter() - started) * 1000, 2),
            suggestion=suggestion,
            backend=self.name,
        )

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


@lru_cache(maxsize=100_000)
def _term(token: str, language: str) -> str:
    return stem(fold(token), language)


def snippet(text: str, query: str, language: str, size: int = SNIPPET_WORDS) -> str:
    """An HTML-escaped excerpt of `text` around the first match, matches in <mark>."""
    wanted = set(analyze(PHRASE.sub(lambda match: match.group(1), query), language))
    tokens, first = [], None
    for index, token in enumerate(SNIPPET_WORD.finditer(text)):
        tokens.append(token)
        if first is None and wanted and _term(token.group(0), language) in wanted:
            first = index
        # Enough words read: past the window around the first match, or no match early on.
        if (first is not None and index >= first + size) or (first is None and len(tokens) >= 400):
            break
    if not tokens:
        return ""
    start = max(0, (first or 0) - size // 3)
    window = tokens[start : start + size]
    pieces, cursor = [], window[0].start()
    for token in window:
        pieces.append(html.escape(text[cursor : token.start()]))
        word = html.escape(token.group(0))
        pieces.append(f"<mark>{word}</mark>" if wanted and _term(token.group(0), language) in wanted else word)
        cursor = token.end()
    excerpt = "".join(pieces).strip()
    prefix = "… " if start > 0 else ""
    suffix = " …" if window[-1].end() < len(text.rstrip()) else ""
    return prefix + excerpt + suffix
