"""The one query parser both backends build from: phrases, words, typo length, stop words.

A visitor's text is split once here into quoted phrases and the words
outside them. Each backend then expresses these parts in its own syntax (an
FTS5 match expression, an Elasticsearch bool query), so both read a query
the same way. Stop words are dropped by `search.analysis` (the same lists
feed the Elasticsearch stop filters).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.analysis import analyze, words

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
        """Tokens outside phrases that leave a term after analysis in `language`."""
        return [token for token in self.tokens if analyze(token, language)]

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
