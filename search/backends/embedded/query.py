"""Query building: a visitor's text as FTS5 match expressions, one per scope searched,
with typo tolerance from the indexed vocabulary and glossary expansions as alternatives;
and the prefix expression autocomplete matches titles with."""

from __future__ import annotations

from search.analysis import analyze, words
from search.backends.base import SearchQuery
from search.backends.embedded.schema import scope_numbers, scope_range
from search.query import may_have_typo, parse_query


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


def _known(connection, word: str, term: str) -> bool:
    """True when the word, or another form with the same stem, is indexed."""
    found = connection.execute("SELECT 1 FROM vocabulary WHERE word = ? OR term = ? LIMIT 1", (word, term))
    return found.fetchone() is not None


def _near(connection, word: str) -> list[tuple[str, str]]:
    """Indexed (word, term) pairs one edit away from `word` (typo tolerance)."""
    head = word[:1]
    candidates = connection.execute(
        "SELECT word, term FROM vocabulary WHERE word >= ? AND word < ? AND length(word) BETWEEN ? AND ?",
        (head, head + "\U0010ffff", len(word) - 1, len(word) + 1),
    ).fetchall()
    return [(candidate, term) for candidate, term in candidates if edit_distance_at_most_one(word, candidate)][:5]


def _expression(connection, text: str, language: str, corrections: dict[str, str]) -> str | None:
    """An FTS5 match expression for `text` analysed in `language`; None if nothing to match."""
    parsed = parse_query(text)
    parts = ['"' + " ".join(terms) + '"' for terms in parsed.phrase_terms(language)]
    for word in parsed.words:
        terms = analyze(word, language)
        if not terms:
            continue
        term = terms[0]
        if not may_have_typo(word) or _known(connection, word, term):
            parts.append(f'"{term}"')
            continue
        near = _near(connection, word)
        near_terms = list(dict.fromkeys(candidate_term for _word, candidate_term in near if candidate_term != term))
        if near_terms:
            corrections[word] = near[0][0]
            parts.append("(" + " OR ".join(f'"{candidate}"' for candidate in [term, *near_terms]) + ")")
        else:
            parts.append(f'"{term}"')
    if not parts:
        return None
    return " AND ".join(parts)


def match_arms(connection, query: SearchQuery, corrections: dict[str, str]) -> list[tuple[str, int, int]]:
    """(FTS5 match expression, first id, last id) for each scope searched.

    A scope is a content language and a requested site language; the
    expression is the query analysed in the content language, with the
    glossary expansions of that language as alternatives.
    """
    scopes = scope_numbers(connection)
    arms = []
    for content_language in dict.fromkeys([*query.languages, "en"]):
        alternatives = [_expression(connection, query.text, content_language, corrections)]
        for extra in query.expansions.get(content_language, ()):
            alternatives.append(_expression(connection, f'"{extra}"', content_language, {}))
        alternatives = [item for item in alternatives if item]
        if not alternatives:
            continue
        expression = " OR ".join(f"({item})" for item in alternatives)
        for language in query.languages:
            scope = scopes.get((content_language, language))
            if scope is not None:
                arms.append((expression, *scope_range(scope)))
    return arms


def corrected(text: str, corrections: dict[str, str]) -> str:
    """`text` with the corrections typo tolerance made: the suggestion shown ("did you mean")."""
    # Corrections are found on folded words, so the suggestion is built from them too.
    return " ".join(corrections.get(word, word) for word in words(text))


def title_prefix_expression(prefix: str) -> str | None:
    """An FTS5 expression matching titles with every word of `prefix`, the last as a prefix; None if no words."""
    folded = words(prefix)
    if not folded:
        return None
    return (
        "{words} : "
        + " AND ".join(f'"{word}"' for word in folded[:-1])
        + (" AND " if len(folded) > 1 else "")
        + f'"{folded[-1]}"*'
    )
