"""Snippets: the excerpt of a hit's text shown under its title, with the query's matches marked."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from search.analysis import fold, stem
from search.query import parse_query

SNIPPET_WORDS = 28
SNIPPET_WORD_SPLIT = re.compile(r"([^\W_]+)")
# With no match among a text's first 400 words, the snippet is its beginning.
SNIPPET_SCAN_WORDS = 400


@lru_cache(maxsize=100_000)
def _term(token: str, language: str) -> str:
    return stem(fold(token), language)


def snippet(text: str, query: str, language: str, size: int = SNIPPET_WORDS) -> str:
    """An HTML-escaped excerpt of `text` around the first match, matches in <mark>."""
    wanted = parse_query(query).terms(language)
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
