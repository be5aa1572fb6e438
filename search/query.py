"""The one query parser both backends build from: phrases, words, glossary concepts, typo length.

A visitor's text is split once here into quoted phrases and the words
outside them, and the words that name a glossary concept are found
(`named_concepts`). Each backend then expresses the parts (`query_parts`) in
its own syntax (an FTS5 match expression, an Elasticsearch bool query), so
both read a query the same way. Stop words are dropped by `search.analysis`
(the same lists feed the Elasticsearch stop filters); a word that is a stop
word in any site language is dropped in every language, since a query in one
language is also matched against text in the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from search.analysis import STOP_WORDS, analyze, words

PHRASE = re.compile(r'"([^"]*)"')
# A word this long or longer may be corrected by one edit (embedded) or
# matched with fuzziness (Elasticsearch); shorter words must match exactly.
TYPO_MIN_LENGTH = 5


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    phrases: tuple[str, ...]
    # The text outside phrases, split on spaces only: "dell'arte" stays whole,
    # so a server-side elision filter sees it as the indexer did.
    tokens: tuple[str, ...]
    # The same text split into folded words (what the Python analysis reads).
    words: tuple[str, ...]

    def phrase_terms(self, language: str) -> list[list[str]]:
        """Each phrase's index terms in `language`; phrases of stop words only are left out."""
        return [terms for phrase in self.phrases if (terms := analyze(phrase, language))]

    def significant_tokens(self, language: str) -> list[str]:
        """Tokens outside phrases that leave a term after analysis in `language` and are no language's stop word."""
        return [token for token in self.tokens if is_significant(token, language)]

    def terms(self, language: str) -> set[str]:
        """Every index term of the query, phrases included (for highlighting)."""
        return set(analyze(" ".join((*self.phrases, *self.tokens)), language))

    def spelling_text(self) -> str:
        """The text with phrases blanked out (not removed: offsets still point into the text)."""
        return PHRASE.sub(lambda match: " " * len(match.group(0)), self.text)


def parse_query(text: str) -> ParsedQuery:
    outside = PHRASE.sub(" ", text)
    return ParsedQuery(
        text=text,
        phrases=tuple(PHRASE.findall(text)),
        tokens=tuple(outside.split()),
        words=tuple(words(outside)),
    )


def may_have_typo(word: str) -> bool:
    """Whether a word is long enough, and a plain word, to be matched with one typo.

    The embedded index corrects such a word, when it does not know it, to an indexed
    word one edit away (its vocabulary keeps words one letter shorter too).
    """
    return len(word) >= TYPO_MIN_LENGTH and word.isalpha()


def is_significant(token: str, language: str) -> bool:
    """Whether a typed token carries meaning: it leaves a term in `language` and is a stop word in no language."""
    folded = words(token)
    if folded and all(any(word in stop for stop in STOP_WORDS.values()) for word in folded):
        return False
    return bool(analyze(token, language))


@dataclass(frozen=True)
class Expansion:
    """Typed tokens (positions in `ParsedQuery.tokens`) that name a glossary concept, and its terms by language."""

    tokens: tuple[int, ...]
    terms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class QueryPart:
    """One thing every match must contain: all of `words` (as typed), or `phrase`, or any of `alternatives`.

    An ordinary word is a part of one word; a quoted phrase a part with
    `phrase`; a glossary concept named by some words is a part with those
    words and the concept's terms in the searched language as alternatives.
    """

    words: tuple[str, ...] = ()
    phrase: str = ""
    alternatives: tuple[str, ...] = ()


def query_parts(text: str, language: str, expansions: Iterable[Expansion] = ()) -> list[QueryPart]:
    """The parts of `text` a document written in `language` must match, in typed order."""
    parsed = parse_query(text)
    parts = [QueryPart(phrase=phrase) for phrase in parsed.phrases if analyze(phrase, language)]
    covered: dict[int, Expansion] = {}
    for expansion in expansions:
        for position in expansion.tokens:
            covered.setdefault(position, expansion)
    done: set[int] = set()
    for position, token in enumerate(parsed.tokens):
        expansion = covered.get(position)
        if expansion is None:
            if is_significant(token, language):
                parts.append(QueryPart(words=(token,)))
            continue
        if id(expansion) in done:
            continue
        done.add(id(expansion))
        typed = (parsed.tokens[index] for index in expansion.tokens)
        own = tuple(token for token in typed if is_significant(token, language))
        alternatives = tuple(term for term in expansion.terms.get(language, ()) if analyze(term, language))
        if own or alternatives:
            parts.append(QueryPart(words=own, alternatives=alternatives))
    return parts


@lru_cache(maxsize=20_000)
def _analysed(term: str, language: str) -> tuple[str, ...]:
    return tuple(analyze(term, language))


def named_concepts(text: str, concepts: Iterable[Mapping[str, Iterable[str]]]) -> tuple[Expansion, ...]:
    """The glossary concepts the words of `text` name, each with the tokens naming it.

    A concept is named when, analysed in one of its languages, the query's
    words outside phrases contain one of its terms, analysed the same way, as
    consecutive terms: the Arabic construct form without the article names
    "إعادة التدوير", and inflected forms and plurals name the Greek and
    Italian terms. Longer names win over shorter ones inside them; a concept
    beside ordinary words, and two concepts side by side, are each found.
    """
    parsed = parse_query(text)
    concepts = list(concepts)
    found: dict[tuple[int, int], dict[str, list[str]]] = {}
    languages = dict.fromkeys(language for concept in concepts for language in concept)
    for language in languages:
        positions = [(index, term) for index, token in enumerate(parsed.tokens) for term in _analysed(token, language)]
        sequence = [term for _index, term in positions]
        if not sequence:
            continue
        present = set(sequence)
        for concept in concepts:
            for term in concept.get(language, ()):
                wanted = _analysed(term, language)
                if not wanted or wanted[0] not in present:
                    continue
                for start in range(len(sequence) - len(wanted) + 1):
                    if tuple(sequence[start : start + len(wanted)]) == wanted:
                        span = (positions[start][0], positions[start + len(wanted) - 1][0])
                        named = found.setdefault(span, {})
                        for code, terms in concept.items():
                            named.setdefault(code, []).extend(terms)
    chosen: list[tuple[tuple[int, int], dict[str, list[str]]]] = []
    taken: set[int] = set()
    for span, terms in sorted(found.items(), key=lambda item: (item[0][0] - item[0][1], item[0][0])):
        positions = set(range(span[0], span[1] + 1))
        if positions & taken:
            continue
        taken |= positions
        chosen.append((span, terms))
    return tuple(
        Expansion(
            tokens=tuple(range(span[0], span[1] + 1)),
            terms={code: tuple(dict.fromkeys(values)) for code, values in terms.items()},
        )
        for span, terms in sorted(chosen)
    )
