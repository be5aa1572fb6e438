"""Ranking and facets: which pages match, their facet counts, and the page of hits shown in bm25 order.

Each type's bm25 is multiplied by its weight (core.searchable `search_weight`).
A page matching in several languages is ranked by its best document and shown
through the one `base.shown_language` picks.

A search reads its matches twice, both times through FTS5 alone: once for the
document ids (the total and the facet counts come from a per-process copy of
every document's page and facets, `DocumentValues` in cache.py), and once in
bm25 order, read only as far as the page of hits shown.

A document's type and facet values are stored as `facet=value` lines in its
`facets` column (`encode_facets`); filtering and counting work on those pairs.
"""

from __future__ import annotations

import itertools
from collections import Counter

from core.searchable import SearchDocument, facet_names, search_weights
from search.backends.base import SearchQuery, shown_language

TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT = 10.0, 4.0, 1.0

FACET_SEPARATOR, VALUE_SEPARATOR = "\n", "="

Page = tuple[str, int]
FacetPairs = tuple[str, ...]


def encode_facets(document: SearchDocument) -> str:
    """The document's type and facet values as one text column: `facet=value` lines."""
    lines = [f"type{VALUE_SEPARATOR}{document.type}"]
    for name, values in document.facets.items():
        lines += [f"{name}{VALUE_SEPARATOR}{value}" for value in values if value]
    return FACET_SEPARATOR.join(lines)


def matching_pages(connection, arms, values) -> dict[Page, FacetPairs]:
    """Every page with a matching document, and its facet pairs: FTS5 reads ids only, no rows."""
    if not arms:
        return {}
    match = "SELECT rowid FROM terms WHERE terms MATCH ? AND rowid BETWEEN ? AND ?"
    rows = connection.execute(" UNION ALL ".join([match] * len(arms)), [value for arm in arms for value in arm])
    document_ids = list(itertools.chain.from_iterable(rows.fetchall()))
    # A page matched in several languages is one entry: the dict keeps one per page.
    pages = map(values.page.__getitem__, document_ids)
    return dict(zip(pages, map(values.facet_pairs.__getitem__, document_ids), strict=True))


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


def facet_counts(counter: Counter) -> dict[str, dict[str, int]]:
    """The facet pair counts of `select_and_count` by facet and value, most frequent first, ties by value.

    Every declared facet (core.searchable) and `type` is present, even when nothing has a value for it.
    """
    counts: dict[str, dict[str, int]] = {name: {} for name in ("type", *facet_names())}
    for pair, count in counter.items():
        name, _separator, value = pair.partition(VALUE_SEPARATOR)
        if name in counts:
            counts[name][value] = count
    return {name: dict(sorted(pairs.items(), key=lambda item: (-item[1], item[0]))) for name, pairs in counts.items()}


def ranked_hits(connection, arms, values, selected, query: SearchQuery) -> list[tuple[int, float]]:
    """(document id, bm25) of the page of hits shown: the best document of each selected page,
    best first, ties by object id.

    FTS5 computes bm25 and SQLite sorts every match in C; Python reads rows
    only until the page of hits is complete.
    """
    start = (query.page - 1) * query.page_size
    window = min(start + query.page_size, len(selected))
    if start >= window:
        return []
    weighting, weights = _type_weighting()
    match = (
        f"SELECT terms.rowid, bm25(terms, ?, ?, ?){weighting} FROM terms"
        + (" JOIN documents d ON d.id = terms.rowid" if weights else "")
        + " WHERE terms MATCH ? AND terms.rowid BETWEEN ? AND ?"
    )
    cursor = connection.execute(
        " UNION ALL ".join([match] * len(arms)) + " ORDER BY 2, 1",
        [value for arm in arms for value in (TITLE_WEIGHT, SUMMARY_WEIGHT, BODY_WEIGHT, *weights, *arm)],
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


def _type_weighting() -> tuple[str, list]:
    """SQL multiplying bm25 (negative: lower is better) by each type's weight, and its parameters."""
    weights = {type_: weight for type_, weight in search_weights().items() if weight != 1.0}
    if not weights:
        return "", []
    cases = " ".join("WHEN ? THEN ?" for _type in weights)
    return f" * CASE d.type {cases} ELSE 1.0 END", [value for pair in weights.items() for value in pair]


def shown_documents(connection, ranked: list[tuple[int, float]], values, query: SearchQuery) -> list[tuple[int, float]]:
    """`ranked` with each page's document replaced by the one that stands for it (base.shown_language).

    Searching one language finds one document per page: nothing to choose.
    """
    if len(query.languages) < 2 or not ranked:
        return ranked
    pages = {values.page[document_id]: document_id for document_id, _rank in ranked}
    object_ids = sorted({object_id for _type, object_id in pages})
    rows = connection.execute(
        "SELECT id, type, object_id, language, content_language FROM documents"
        f" WHERE object_id IN ({','.join('?' * len(object_ids))})",
        object_ids,
    )
    available: dict[Page, dict[str, tuple[str, int]]] = {}
    found: dict[int, str] = {}
    for document_id, type_, object_id, language, content_language in rows:
        if (type_, object_id) in pages and language in query.languages:
            available.setdefault((type_, object_id), {})[language] = (content_language, document_id)
            found[document_id] = language
    shown = []
    for document_id, rank in ranked:
        documents = available.get(values.page[document_id], {})
        language = shown_language(
            {code: written for code, (written, _id) in documents.items()},
            reader=query.language,
            found=found.get(document_id, ""),
        )
        shown.append((documents[language][1] if language in documents else document_id, rank))
    return shown


def shown_rows(connection, document_ids: list[int]) -> dict[int, tuple]:
    """The columns a hit shows, and the text its snippet comes from, by document id."""
    if not document_ids:
        return {}
    rows = connection.execute(
        "SELECT d.id, d.type, d.object_id, d.title, d.url, d.language, d.content_language, t.summary, t.body"
        f" FROM documents d JOIN texts t ON t.id = d.id WHERE d.id IN ({','.join('?' * len(document_ids))})",
        document_ids,
    )
    return {row[0]: row[1:] for row in rows}
