"""Query building: a visitor's text as FTS5 match expressions, one per scope searched,
with typo tolerance from the indexed vocabulary, the language's synonyms, and glossary
concepts' terms as alternatives for the words that name them;
and the prefix expression autocomplete matches titles with."""

from __future__ import annotations

from search.analysis import analyze, synonym_terms, words
from search.backends.base import SearchQuery
from search.backends.embedded.schema import scope_numbers, scope_range
from search.query import may_have_typo, query_parts


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


def _quoted(terms) -> str:
    return '"' + " ".join(terms) + '"'


def _word_expression(connection, word: str, language: str, corrections: dict[str, str]) -> str | None:
    """One typed word: its terms and their synonyms, or near indexed words when it is unknown (a typo)."""
    alternatives = []
    for folded in words(word):
        terms = analyze(folded, language)
        if not terms:
            continue
        term = terms[0]
        candidates = list(synonym_terms(term, language))
        if may_have_typo(folded) and not _known(connection, folded, term):
            near = _near(connection, folded)
            near_terms = [candidate for _word, candidate in near if candidate not in candidates]
            if near_terms:
                corrections[folded] = near[0][0]
                candidates += near_terms
        candidates = list(dict.fromkeys(candidates))
        alternatives.append("(" + " OR ".join(_quoted([candidate]) for candidate in candidates) + ")")
    return " AND ".join(alternatives) or None


def _expression(connection, query: SearchQuery, language: str, corrections: dict[str, str]) -> str | None:
    """An FTS5 match expression for the query read in `language`; None if nothing to match.

    Every part must match (search.query.query_parts): a word, a phrase, or a
    named concept's words or any of its terms in `language`.
    """
    parts = []
    for part in query_parts(query.text, language, query.expansions):
        if part.phrase:
            parts.append(_quoted(analyze(part.phrase, language)))
            continue
        alternatives = []
        own = [_word_expression(connection, word, language, corrections) for word in part.words]
        own = [item for item in own if item]
        if own:
            alternatives.append(" AND ".join(own))
        alternatives += [_quoted(terms) for term in part.alternatives if (terms := analyze(term, language))]
        if alternatives:
            parts.append("(" + " OR ".join(f"({item})" for item in alternatives) + ")")
    if not parts:
        return None
    return " AND ".join(parts)


def match_arms(connection, query: SearchQuery, corrections: dict[str, str]) -> list[tuple[str, int, int]]:
    """(FTS5 match expression, first id, last id) for each scope searched.

    A scope is a content language and a requested site language; the
    expression is the query read in the content language, each named
    glossary concept matching through its terms in that language too.
    """
    scopes = scope_numbers(connection)
    arms = []
    for content_language in dict.fromkeys([*query.languages, "en"]):
        expression = _expression(connection, query, content_language, corrections)
        if expression is None:
            continue
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
