"""Writing the index: documents analysed in batches (in worker processes when there are many)
and written one batch per transaction; deletes; and rebuilds into a fresh file swapped in whole."""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections import deque
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from search.analysis import stem, stem_words, words
from search.backends.embedded.ranking import encode_facets
from search.backends.embedded.schema import SCOPE_BITS, connect, scope_numbers, scope_range
from search.query import TYPO_MIN_LENGTH

if TYPE_CHECKING:
    from core.searchable import SearchDocument

BATCH = 500
PARALLEL_THRESHOLD_BATCHES = 8


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


def write(connection: sqlite3.Connection, documents: Iterable[SearchDocument]) -> int:
    """Add or replace `documents`, one transaction per batch; return how many."""
    count, words_written = 0, set()
    for batch, analysed, vocabulary in _analysed_batches(documents):
        # Most words recur in every batch: only words new to this write go to SQLite.
        new_words = vocabulary.keys() - words_written
        count += _write_batch(connection, batch, analysed, [(word, vocabulary[word]) for word in new_words])
        words_written |= new_words
    return count


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


def _write_batch(connection: sqlite3.Connection, batch, analysed, vocabulary) -> int:
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute("UPDATE state SET generation = generation + 1")
        (generation,) = connection.execute("SELECT generation FROM state").fetchone()
        keys = [document.key for document in batch]
        existing = dict(
            connection.execute(f"SELECT key, id FROM documents WHERE key IN ({','.join('?' * len(keys))})", keys)
        )
        # Ids are assigned here so that every table is written with executemany.
        document_ids = _document_ids(connection, batch, existing)
        _remove(connection, list(existing.values()))
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


def _document_ids(connection: sqlite3.Connection, batch, existing: dict[str, int]) -> list[int]:
    """An id for each document of `batch`: the one it has if it is reindexed in the same
    scope (so that DocumentValues does not grow), else the next one free in its scope."""
    scopes, next_ids, document_ids = scope_numbers(connection), {}, []
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


def _remove(connection: sqlite3.Connection, document_ids: list[int]) -> None:
    if not document_ids:
        return
    marks = ",".join("?" * len(document_ids))
    connection.execute(f"DELETE FROM terms WHERE rowid IN ({marks})", document_ids)
    connection.execute(f"DELETE FROM titles WHERE rowid IN ({marks})", document_ids)
    connection.execute(f"DELETE FROM texts WHERE id IN ({marks})", document_ids)
    connection.execute(f"DELETE FROM documents WHERE id IN ({marks})", document_ids)


def delete(connection: sqlite3.Connection, type_: str, object_ids: list[int]) -> None:
    """Remove every document of these objects, in one transaction."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        marks = ",".join("?" * len(object_ids))
        ids = connection.execute(
            f"SELECT id FROM documents WHERE type = ? AND object_id IN ({marks})", [type_, *object_ids]
        ).fetchall()
        _remove(connection, [row[0] for row in ids])
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise


def rebuild(path: Path, documents: Iterable[SearchDocument]) -> int:
    """Write `documents` to a fresh file next to `path`, then rename it over `path`; return how many."""
    fresh = path.with_name(path.name + ".rebuild")
    for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
        leftover.unlink(missing_ok=True)
    connection = connect(fresh)
    try:
        # The fresh file is invisible until renamed into place, so durability
        # can wait for the end: write it without a journal.
        connection.execute("PRAGMA journal_mode=OFF")
        connection.execute("PRAGMA synchronous=OFF")
        count = write(connection, documents)
        connection.execute("INSERT INTO terms (terms) VALUES ('optimize')")
        connection.execute("PRAGMA synchronous=NORMAL")

    finally:
        connection.close()
    # The rename is atomic: readers see the old index or the new one, never none.
    os.replace(fresh, path)
    for stale in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    return count
